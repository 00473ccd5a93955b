# Every target bootstraps what it needs: uv (from PyPI via pip when missing), then the locked env.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
SRC_DIRS := $(wildcard packages/*/src)
PYTEST_ARGS ?=

.PHONY: bootstrap demo test check bench dist docs docs-serve lint format clean

bootstrap:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --locked --all-packages --all-extras --compile-bytecode --quiet

demo: bootstrap
	@$(UV) run --locked python -m demo

test: bootstrap
	@$(UV) run --locked python .ci/clean_temp.py pytest -n 2 --dist loadgroup --cov --cov-report=term $(PYTEST_ARGS) packages tests

check: bootstrap
	$(UV) run --locked ruff check .
	$(UV) run --locked ruff format --check .
	$(UV) run --locked mypy $(SRC_DIRS) demo bench docs/hooks.py tests

bench: bootstrap
	@$(UV) run --locked python -m bench

# The documentation site (docs/, mkdocs.yml) into site/; strict: any warning fails the build.
docs: bootstrap
	@NO_MKDOCS_2_WARNING=1 $(UV) run --locked python -m mkdocs build --strict

docs-serve: bootstrap
	@NO_MKDOCS_2_WARNING=1 $(UV) run --locked python -m mkdocs serve --dev-addr 127.0.0.1:8000

# Wheels and sdists of every workspace package; they install together with --find-links dist.
dist:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	rm -rf dist
	$(UV) build --all-packages --out-dir dist

format: bootstrap
	$(UV) run --locked ruff format .
	$(UV) run --locked ruff check --fix .

clean:
	rm -rf .venv dist site .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
