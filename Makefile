# posture: every target sets up .venv itself, so each works on a fresh machine with only python3.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
INSTANCE ?= instances/baseline.yaml
JOBS   ?= 2

.PHONY: run test lint bench bench-perf clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)  ## solve the default instance, print the summary, write a run folder (with map and brief.html) under results/
	$(BIN)/posture solve $(INSTANCE) --report

test: $(STAMP)  ## the whole test suite (quick benchmark tier included); fails on any failure or on no tests
	$(BIN)/ruff check optimizer tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider tests

lint: $(STAMP)  ## ruff and the type checker (mypy, configured in pyproject.toml)
	$(BIN)/ruff check optimizer tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)  ## full benchmark suites; tables under results/bench/
	$(BIN)/posture bench --suite orlib --suite mclp --suite posture --jobs $(JOBS)
	$(BIN)/python -m benchmarks.sweep

bench-perf: $(STAMP)  ## scale ladder, peer comparison, root reduction, portfolio; writes results/perf*.csv
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python -m benchmarks.perf
	$(BIN)/python -m benchmarks.perf_reduce
	$(BIN)/python -m benchmarks.perf_portfolio --nr

clean:
	rm -rf $(VENV) build *.egg-info
