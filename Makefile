# The only entry points: `make build`, `make test`, `make check`. CI runs `make test`.
# Installs come from the lock files in requirements/ (exact versions, sha256 hashes):
# `make build` installs the runtime set only, `make test` the test and dev set too.
# `make lock` rewrites the locks after a change to pyproject.toml (docs/building.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
LOCK := $(BIN)/uv pip compile pyproject.toml requirements/build.in --generate-hashes \
	--universal --python-version 3.11 --custom-compile-command "make lock" $(UPGRADE)
# Reproducible fonts even on the fontTools fallback path (rendering-facts §1, §2.2).
export SOURCE_DATE_EPOCH ?= 1764000000

.PHONY: build test check lint lock messages system-deps clean

build: $(RUNTIME_STAMP)
	$(BIN)/leaflets build

test: $(STAMP)
	sh scripts/browser-deps.sh
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -n auto --dist loadgroup

check: $(RUNTIME_STAMP)
	$(BIN)/leaflets check

lint: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

system-deps:
	sh scripts/system-deps.sh

# Only what building needs, every file checked against its hash; then the project itself
# with no dependency resolution and no unlocked build backend.
$(RUNTIME_STAMP): requirements/runtime.txt pyproject.toml | system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes -r requirements/runtime.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $(RUNTIME_STAMP)

$(STAMP): requirements/dev.txt pyproject.toml | system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes -r requirements/dev.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $(STAMP) $(RUNTIME_STAMP)

lock: $(STAMP)
	$(LOCK) -o requirements/runtime.txt
	$(LOCK) --extra test --extra dev -o requirements/dev.txt

# Merge the templates' and generated sentences' msgids into src/leaflets/locale/*/leaflets.po
# (docs/translations.md); tests/test_i18n.py fails while a catalog is stale or untranslated.
messages: $(STAMP)
	$(BIN)/python -c "from leaflets.render.catalogs import update_catalogs; print(*update_catalogs(), sep='\n')"

clean:
	rm -rf $(VENV) output/*/ output/manifest.json .pytest_cache .mypy_cache .ruff_cache

# Mutation testing (mutmut, BSD-3) of the review fingerprint and the wording rules only:
# minutes, so not part of `make test`. Prints the score; `mutmut show NAME` shows a mutant.
MUTANTS := "leaflets.review.fingerprint.x__normal*" "leaflets.review.fingerprint.x__per_level*" \
	"leaflets.review.fingerprint.x_wording_at*" "leaflets.review.fingerprint.x__digest*" \
	"leaflets.review.fingerprint.x__image_bytes*" "leaflets.review.fingerprint.x_fingerprint*" \
	"leaflets.review.fingerprint.x_leaflet_wording*" "leaflets.review.fingerprint.x_leaflet_fingerprint*" \
	"leaflets.review.fingerprint.x_unit_fingerprint*" "leaflets.text.check.x_load_rules*" \
	"leaflets.text.check.x__compile*" "leaflets.text.check.x__parse_rules*" \
	"leaflets.text.number_rules.x_clause_at*" "leaflets.text.check.x__wording*"

.PHONY: mutation
mutation: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 $(MUTANTS)
	$(BIN)/python scripts/mutation_score.py $(MUTANTS)
