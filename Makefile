# The only entry points: `make build`, `make test`, `make check`. CI runs `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Reproducible fonts even on the fontTools fallback path (rendering-facts §1, §2.2).
export SOURCE_DATE_EPOCH ?= 1764000000

.PHONY: build test check lint system-deps clean

build: $(STAMP)
	$(BIN)/leaflets build

test: $(STAMP)
	sh scripts/browser-deps.sh
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -n auto --dist loadgroup

check: $(STAMP)
	$(BIN)/leaflets check

lint: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

system-deps:
	sh scripts/system-deps.sh

$(STAMP): pyproject.toml | system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) output/*/ output/manifest.json .pytest_cache .mypy_cache .ruff_cache
