# One-command set-up. `make app` serves the app on the default scenario; `make test` runs the tests.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8765
HOST ?= localhost

.PHONY: setup app run test test-fast lint bench clean assets posterior

$(STAMP): requirements.lock pyproject.toml scripts/find-python.sh
	@set -e; PYBIN=$$(scripts/find-python.sh); \
	if [ ! -x $(PY) ]; then echo "creating $(VENV) with $$PYBIN"; "$$PYBIN" -m venv $(VENV); fi; \
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock \
	  2> >(grep -v "^WARNING: Location .* is ignored" >&2); \
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . \
	  2> >(grep -v "^WARNING: Location .* is ignored" >&2); \
	touch $(STAMP)

PO := $(wildcard sim_app/text/locale/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)

# the translators' catalogues (.po) compiled for the app (.mo; Babel, see docs/app.md)
$(MO): %.mo: %.po $(STAMP)
	$(PY) scripts/translations.py compile

setup: $(STAMP) $(MO)

ASSETS_DIR ?= .cache/solara-assets

assets:  ## put every front-end asset the app needs on disk (npm registry; see docs/app.md)
	scripts/fetch_solara_assets.sh $(ASSETS_DIR)

app: setup assets  ## serve the app on http://$(HOST):$(PORT) (HOST=0.0.0.0 for a room's phones)
	SOLARA_ASSETS_PROXY_CACHE_DIR=$(abspath $(ASSETS_DIR)) SOLARA_TELEMETRY_MIXPANEL_ENABLE=false \
	$(VENV)/bin/solara run app.py --port $(PORT) --host $(HOST) --production

run: setup  ## run the default scenario on the command line
	$(VENV)/bin/sim run --scenario default

lint: setup
	$(VENV)/bin/ruff check sim sim_app sim_sweep sim_cli sim_calibrate tests benchmarks scripts experiments app.py

test: setup lint
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not browser and not slow"

posterior: setup  ## estimate and ship the default posterior (calibration/default.toml; about 12 min on 2 free cores, 22 min under load)
	nice $(VENV)/bin/sim calibrate calibration/default.toml --out calibration/runs/default --fresh
	$(PY) scripts/ship_posterior.py calibration/runs/default

bench: setup
	$(PY) benchmarks/bench_model.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
