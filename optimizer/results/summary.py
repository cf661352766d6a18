"""The readable terminal summary of a solve (R5)."""

from __future__ import annotations

from typing import Any

from optimizer.results.report import Report
from optimizer.solvers import Status


def _fmt(value: Any, spec: str = ".4g") -> str:
    return (
        "n/a" if value is None else format(value, spec) if isinstance(value, float) else str(value)
    )


def _pct(value: Any) -> str:
    return "n/a" if value is None else f"{100 * float(value):.1f} %"


def _label(end: dict[str, Any]) -> str:
    return f"{end['sector']} {end['name']}".strip()


def later_phases_unproven(record: dict[str, Any]) -> list[str]:
    """The lexicographic phases after the primary that were not run or not proven optimal."""
    if not Status(str(record.get("status"))).has_plan:
        return []  # no plan: nothing to say about its tie-break
    ran = {p["phase"]: p for p in record.get("phases") or []}
    out = []
    for name in (record.get("phases_planned") or [])[1:]:
        phase = ran.get(name)
        if phase is None:
            out.append(f"{name} not run (time limit or tie-break budget)")
        elif phase["status"] != "optimal":
            out.append(
                f"{name} {phase['status']} at {_fmt(phase['objective'], '.6g')}"
                f" (bound {_fmt(phase['bound'], '.6g')})"
            )
    return out


def straits_line(straits: dict[str, Any]) -> str:
    """F6: both straits policies, the assumed one first, each a full optimum."""
    assumed = straits["assumed"]
    other = "closed" if assumed == "montreux" else "montreux"

    def figures(policy: str) -> str:
        f = straits[policy]
        if f.get("objective") is None:
            return f"{policy}: {f.get('status')}"
        return (
            f"{policy} objective {f['objective']:.4g} (front {f['front_miles_covered']:.0f} mi,"
            f" sea {f['sea_points']:.3g} pts)"
        )

    return (
        f"straits     assumed {figures(assumed)}; re-planned {figures(other)}"
        f" [{straits['assumption']}]"
    )


def summary_text(report: Report, run_dir: object = None) -> str:
    r: dict[str, Any] = report.record
    s: dict[str, Any] = report.summary
    sc = r["scenario"]
    proven = "proven optimal" if r["status"] == "optimal" else "NOT proven optimal"
    lines = [
        f"posture: {r['instance']}  [{r['objective_kind']}, {r['coverage_mode']} coverage, "
        f"US {sc['us_participation']}, straits {sc['straits']}]",
        f"status      {r['status']} ({proven}); solver {r['solver_version']}",
        f"objective   {_fmt(r['objective'], '.6g')}   best bound {_fmt(r['best_bound'], '.6g')}"
        f"   gap {_fmt(r['gap'], '.2e')}",
        f"time        build {r['build_seconds']:.2f} s, solve {r['solve_seconds']:.2f} s",
    ]
    if s.get("front_sectors"):
        lines.append(
            f"front       {s['front_miles_covered']:.0f} of {s['front_miles_total']:.0f} mi"
            f" covered ({_fmt(s['front_pct'], '.1f')} %); {s['front_sectors_below_threshold']}"
            f" of {s['front_sectors']} sectors below {s['coverage_threshold']}"
        )
        if s.get("longest_uncovered_miles"):
            a, b = s["longest_uncovered_from"], s["longest_uncovered_to"]
            lines.append(
                f"            longest uncovered stretch {s['longest_uncovered_miles']:.0f} mi"
                f" from {_label(a)} to {_label(b)}"
            )
    lines.append(f"airspace    {_pct(s.get('air_coverage'))} weighted coverage")
    if s.get("sea_nm_total"):
        lines.append(
            f"sea lanes   {s['sea_nm_escorted']:.0f} of {s['sea_nm_total']:.0f} nm escorted;"
            f" {_pct(s.get('shipping_protected_per_leg'))} of leg transits protected (leg by leg)"
        )
    if s.get("shipping_routes"):
        routes = "; ".join(
            f"{r['route']} {_pct(r['protected_share'])} of {r['monthly_transits']:g}/month"
            + (f" (weakest {r['weakest_leg']})" if r["protected_share"] < 1 - 1e-9 else "")
            for r in s["shipping_routes"]
        )
        lines.append(
            f"shipping    {_pct(s.get('shipping_protected_end_to_end'))} of monthly transits"
            f" protected end to end: {routes}"
        )
    if s.get("training_need_per_year"):
        lines.append(
            f"training    {s['training_trainees_per_year']:,.0f} of"
            f" {s['training_need_per_year']:,.0f}"
            f" trainees a year reach the sectors' needs = {s['training_brigades_per_year']:.1f} of"
            f" {s['training_brigades_needed_per_year']:.1f} brigades a year"
            f" ({s['brigade_strength']:,.0f} troops each)"
        )
    if s.get("straits"):
        lines.append(straits_line(s["straits"]))
    if s.get("objective_by_kind"):
        earned, possible = s["objective_by_kind"], s["points_possible_by_kind"]
        what = "objective" if r["objective_kind"] == "max-coverage" else "weighted coverage"
        parts = ", ".join(
            f"{kind} {earned[kind]:.4g} of {possible[kind]:.4g} pts"
            f" ({_pct(s['objective_share_by_kind'][kind])} of the total)"
            for kind in earned
            if possible[kind] > 0
        )
        lines.append(f"by kind     {what} = {parts}")
    if s.get("aggregate_targets"):
        lines.append(
            "targets     "
            + "; ".join(
                f"{t['target']} >= {_pct(t['share'])} of {t['possible']:.4g} {t['unit']}:"
                f" {t['reached']:.4g} {t['unit']} ({'met' if t['met'] else 'NOT met'})"
                for t in s["aggregate_targets"]
            )
        )
    lines += us_lines(s.get("us_dependency") or {}, r["objective_kind"])
    unproven = later_phases_unproven(r)
    if unproven:
        lines.append(
            f"tie-break   {'; '.join(unproven)}: the plan keeps the primary result above, but"
            " is not proven the preferred one among its optima"
        )
    lines.append(f"plan        {s['stations_placed']} stations, cost {s['cost']:.4g}")
    if run_dir is not None:
        lines.append(f"run folder  {run_dir}")
    return "\n".join(lines)


def _change(value: float, unit: str) -> str:
    return f"{signed(-value)} {unit}"


def signed(change: float, spec: str = "+.3g") -> str:
    """A change with its sign, and a plain 0 (never "-0" or "+0") when it rounds to nothing."""
    shown = format(change, spec)
    return "0" if float(shown) == 0 or abs(change) < 5e-4 else shown


def _loss(figures: dict[str, Any], compact: bool = False) -> str:
    """Losses as changes in miles and points, the objective's change first where it has one:
    'objective -15.36 pts (front +1.41 mi, air -15.5 pts, sea 0 pts)'. The objective comes
    first because the kinds trade against each other: a re-plan may gain front miles while the
    whole loses points."""
    if figures.get("front_miles_lost") is None:
        return f"no plan ({figures.get('status')})"
    parts = [
        ("front", figures["front_miles_lost"], "mi"),
        ("air", figures["air_points_lost"], "pts"),
        ("sea", figures["sea_points_lost"], "pts"),
    ]
    shown = ", ".join(
        f"{kind} {_change(v, unit)}" for kind, v, unit in parts if not compact or abs(v) >= 5e-4
    )
    objective = figures.get("objective_lost")
    if objective is None:
        return shown or "no loss"
    change = -float(objective)
    if compact and not shown and abs(change) < 5e-4:
        return "no loss"
    total = f"{change:+.4g} pts" if abs(change) >= 5e-4 else "0 pts"
    return f"objective {total} ({shown})" if shown else f"objective {total}"


_UNITS = {"min-cost": "cost", "min-units": "units"}


def _replanned(figures: dict[str, Any], objective_kind: str, compact: bool = False) -> str:
    """A re-planned counterfactual: the objective's change in points, then the changes in miles
    and points by kind; for min-cost and min-units, the change of the objective (the coverage
    of the cheapest plan is not what it optimises)."""
    status = str(figures.get("status"))
    if status.startswith("not run"):
        return status
    proven = "" if status == "optimal" or figures.get("objective") is None else f" [{status}]"
    if objective_kind in _UNITS and figures.get("objective_lost") is not None:
        change = -float(figures["objective_lost"])
        shown = f"{change:+.4g}" if abs(change) >= 5e-4 else "no change"
        return f"{_UNITS[objective_kind]} {shown} for the same targets{proven}"
    return _loss(figures, compact) + proven


def us_lines(dep: dict[str, Any], objective_kind: str = "max-coverage") -> list[str]:
    """A1: re-planned losses per lower US level and per US capability, and the static loss."""
    if not dep:
        return []
    lines = []
    for level in dep.get("levels") or []:
        lines.append(f"re-planned at US {level['level']}: {_replanned(level, objective_kind)}")
    static = dep["static"]
    if static["us_dependent_stations"] or lines:
        lines.append(
            f"same plan without its {static['us_dependent_stations']} US stations"
            f" (static, not re-planned): {_loss(static | {'status': 'optimal'})}"
        )
    caps = dep.get("by_capability") or []
    if caps:
        lines.append(
            "one US capability withdrawn, re-planned: "
            + "; ".join(f"{c['name']} {_replanned(c, objective_kind, True)}" for c in caps)
        )
    if not lines and dep.get("note"):
        lines.append(str(dep["note"]))
    return [f"{'US' if i == 0 else '':12}{line}" for i, line in enumerate(lines)]
