"""Shared fixtures: paths, the public benchmark folder, tiny instances built in code."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INSTANCES = ROOT / "instances"
SHARED_BENCHMARKS = ROOT.parent / "shared" / "benchmarks"


@pytest.fixture(scope="session")
def benchmarks_dir() -> Path:
    """../shared/benchmarks, or skip with the reason (a user's clone does not have it)."""
    if not SHARED_BENCHMARKS.is_dir():
        pytest.skip(f"public benchmark data not found at {SHARED_BENCHMARKS}")
    return SHARED_BENCHMARKS
