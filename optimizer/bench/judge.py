"""The verdict on one benchmark result, from the known value and what the solver proved.

Verdicts: ``ok`` (the known value reached; proven when it must be), ``FAIL`` (a proven value not
reached, a result or a bound that contradicts a known value), ``DRIFT`` (a posture instance
proven optimal at another value than recorded), ``gap`` (a best-known value not reached within
the limit), ``improved`` (better than a best-known value), ``solved`` / ``limit`` / ``no-plan``
(nothing known to compare with). Only FAIL, DRIFT and ERROR make ``posture bench`` exit 1.
"""

from __future__ import annotations

from optimizer.bench.suites import Case
from optimizer.check.report import close

PLAN_STATUSES = ("optimal", "feasible", "time_limit")


def judge(
    case: Case, sense: str, found: float | None, status: str, bound: float | None
) -> tuple[str, bool, str]:
    """(verdict, failed, note) for a result of ``case``; ``sense`` is ``min`` or ``max``."""
    if status not in PLAN_STATUSES:
        return "FAIL", True, f"solver status {status}"
    known = case.known
    if known is None:
        if found is None:
            return "no-plan", False, f"no plan ({status})"
        return ("solved", False, "") if status == "optimal" else ("limit", False, status)
    if found is None:
        failed = case.must_reach
        return ("FAIL" if failed else "no-plan"), failed, f"no plan ({status}), known {known:g}"
    better = found < known if sense == "min" else found > known
    equal = close(found, known)
    bound_beyond = (
        case.known_status != "recorded"  # a recorded value may drift; a known one may not
        and bound is not None
        and not close(bound, known)
        and (bound > known if sense == "min" else bound < known)
    )
    if bound_beyond:
        return "FAIL", True, f"proven bound {bound:g} beyond the known value {known:g}"
    if equal:
        if case.must_reach and status != "optimal":
            return "FAIL", True, f"value {found:g} reached but not proven ({status})"
        return "ok", False, ""
    if better:
        if case.known_status in ("optimal", "recorded"):
            verdict = "DRIFT" if case.known_status == "recorded" else "FAIL"
            return verdict, True, f"{found:g} better than the proven {known:g}"
        return "improved", False, f"{found:g} better than the best known {known:g}"
    # worse than the known value
    if status == "optimal" and case.known_status != "recorded":
        return "FAIL", True, f"proven optimal at {found:g}, worse than the known {known:g}"
    if case.known_status == "recorded" and status == "optimal":
        return "DRIFT", True, f"{found:g}, recorded {known:g}"
    if case.must_reach:
        return "FAIL", True, f"{found:g} ({status}), known {known:g}"
    return "gap", False, f"{found:g} ({status}), best known {known:g}"
