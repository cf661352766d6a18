"""What a check found: each violation with its size, the recomputed objective, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

TOLERANCE = 1e-6


def close(a: float, b: float, rel: float = TOLERANCE, abs_: float = TOLERANCE) -> bool:
    """``a`` equals ``b`` within the relative or the absolute tolerance."""
    return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))


def excess(lhs: float, rhs: float) -> float:
    """How far ``lhs <= rhs`` is violated (0 when it holds, within tolerance)."""
    over = lhs - rhs
    return over if over > TOLERANCE * max(1.0, abs(rhs)) else 0.0


@dataclass(frozen=True)
class Violation:
    """One broken rule: the family (C1..C11, O2, triple, plan, objective, run), what, how much."""

    family: str
    subject: str
    message: str
    size: float = 0.0  # by how much the rule is broken, in the rule's own unit

    def line(self) -> str:
        size = f" (by {self.size:.6g})" if self.size else ""
        return f"{self.family:<9} {self.subject}: {self.message}{size}"


@dataclass
class CheckReport:
    """The verdict on one saved plan against one instance."""

    run_dir: Path
    instance: str
    objective_kind: str
    status: str
    rows: int = 0
    stations: int = 0
    objective: float | None = None  # recomputed from the plan
    recorded_objective: float | None = None  # from run.json
    sector_coverage: dict[str, float] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Feasible, and the objective in run.json is the plan's objective."""
        return not self.violations

    def families(self) -> set[str]:
        return {v.family for v in self.violations}

    def add(self, family: str, subject: str, message: str, size: float = 0.0) -> None:
        self.violations.append(Violation(family, subject, message, float(size)))

    def text(self) -> str:
        verdict = "VERIFIED" if self.ok else f"FAILED ({len(self.violations)} violation(s))"
        lines = [
            f"verify: {self.instance}  [{self.objective_kind}]  run {self.run_dir}",
            f"plan        {self.rows} rows, {self.stations} stations; run status {self.status}",
            f"objective   recomputed {_fmt(self.objective)}, "
            f"run.json {_fmt(self.recorded_objective)}",
        ]
        lines += [f"warning     {w}" for w in self.warnings]
        lines += [f"violation   {v.line()}" for v in self.violations]
        lines.append(f"verdict     {verdict}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "run_dir": str(self.run_dir),
            "instance": self.instance,
            "objective_kind": self.objective_kind,
            "status": self.status,
            "rows": self.rows,
            "stations": self.stations,
            "objective": self.objective,
            "recorded_objective": self.recorded_objective,
            "violations": [v.__dict__ for v in self.violations],
            "warnings": list(self.warnings),
        }


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.10g}"
