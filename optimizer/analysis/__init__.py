"""Analysis over many solves: sensitivity tables, sweeps, executors, run comparison (SPEC 5)."""
