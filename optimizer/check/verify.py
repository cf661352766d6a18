"""Verify a saved run: the plan against the instance, the objective against run.json."""

from __future__ import annotations

from pathlib import Path

from optimizer.check.coverage import check_targets, objective, sector_coverage
from optimizer.check.report import CheckReport, close
from optimizer.check.rules import check_sums, check_triples, resolve
from optimizer.check.runfolder import read_plan, read_record, read_run_instance
from optimizer.check.tankers import check_tankers
from optimizer.instance.reader import content_hash
from optimizer.instance.schema import Instance

PLAN_STATUSES = ("optimal", "feasible", "time_limit")


def verify_run(instance: Instance | None, run_dir: str | Path) -> CheckReport:
    """Check ``run_dir``'s plan.csv against ``instance`` (None: the run's own instance.json).

    Every family C1-C11, the admissibility of each row, the O2 targets, the coverage of every
    sector and the objective are recomputed; each violation is reported with its size. The
    objective must match run.json's within 1e-6 (relative or absolute). A difference between
    the instance's content hash and the one run.json records fails verification when the
    instance is the run's own instance.json (it may have been edited), and is a warning when the
    user names the instance to check against.
    """
    run_dir = Path(run_dir)
    record = read_record(run_dir)
    own = instance is None
    if instance is None:
        instance = read_run_instance(run_dir)
    rows = read_plan(run_dir)
    status = str(record.get("status", "unknown"))
    report = CheckReport(
        run_dir=run_dir,
        instance=instance.name,
        objective_kind=instance.scenario.objective.value,
        status=status,
        rows=len(rows),
        stations=round(sum(r.stations for r in rows)),
    )
    recorded_hash = record.get("instance_hash")
    actual_hash = content_hash(instance)
    if own and recorded_hash != actual_hash:
        # The folder's own instance.json is all there is to check against: if it is not the
        # instance that was solved (edited limits, a copied folder), nothing here is evidence.
        short = str(recorded_hash)[:12] if recorded_hash else None
        found = (
            f"records content hash {short}, instance.json has {actual_hash[:12]}"
            if short
            else "records no instance hash"
        )
        report.add(
            "run",
            "instance.json",
            f"not the instance that was solved: run.json {found} (edited?); "
            "give the instance file to check against: posture verify INSTANCE RUN_DIR",
        )
    elif recorded_hash and recorded_hash != actual_hash:
        overrides = record.get("overrides")
        hint = [str(h) for h in overrides] if isinstance(overrides, list) else []
        report.warnings.append(
            f"the instance given differs from the one solved (content hash {actual_hash[:12]} "
            f"vs run.json {str(recorded_hash)[:12]})"
            + (f"; the run was solved with {' '.join(f'--set {h}' for h in hint)}" if hint else "")
        )
    kind = record.get("objective_kind")
    if kind is not None and kind != instance.scenario.objective.value:
        report.warnings.append(
            f"run.json's objective is {kind}, the instance's is {instance.scenario.objective.value}"
        )
    recorded = record.get("objective")
    report.recorded_objective = float(recorded) if isinstance(recorded, int | float) else None
    if status not in PLAN_STATUSES:
        report.add("run", "run.json", f"status {status}: the run has no plan to verify")
        return report
    return verify_plan(instance, rows, report)


def verify_plan(instance: Instance, rows: list, report: CheckReport) -> CheckReport:
    """The checks proper, on rows already read; fills and returns ``report``."""
    placed = resolve(instance, rows, report)
    check_triples(instance, placed, report)
    check_sums(instance, placed, report)
    check_tankers(instance, placed, report)
    z = sector_coverage(instance, placed)
    report.sector_coverage = {s.id: float(z[k]) for k, s in enumerate(instance.sectors)}
    check_targets(instance, z, report)
    value = objective(instance, placed, z)
    report.objective = value
    if report.recorded_objective is None:
        report.add("objective", "run.json", "records no objective for a plan")
    elif not close(value, report.recorded_objective):
        report.add(
            "objective",
            "run.json",
            f"records {report.recorded_objective:.10g}, the plan's objective is {value:.10g}",
            abs(value - report.recorded_objective),
        )
    return report
