# Two commands do all set-up:  `make run`  and  `make test`.
# Every step below is a file target, so nothing is repeated that is already up to date:
# the model is retrained only when NLU data, stories, domain, config or the spaCy pipeline change.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SPACY  := build/spacy/de_lookup/meta.json
CITIES := data/nlu/generated/cities.yml
MODEL  := models/assistant.tar.gz
NODE   := node_modules/.package-lock.json
CHROMIUM := /usr/bin/chromium
TRAINING_DATA := $(shell find data/nlu data/stories -name '*.yml' -not -path '*/generated/*' 2>/dev/null)

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help setup train run test lint validate unanswered lock clean

help:
	@echo "make run    set up, train if needed, start the assistant on 127.0.0.1"
	@echo "make test   set up, train if needed, run every test"
	@echo "make lock   re-resolve requirements.lock from requirements*.in"

$(STAMP): requirements.lock pyproject.toml
	@python=$$(scripts/find-python) || exit 1; \
	  test -x $(BIN)/python || "$$python" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	@touch $@

setup: $(STAMP) $(SPACY) $(CITIES) $(NODE)

# Browser assets of the web app (socket.io-client; axe-core for the tests) from the npm registry,
# exactly as package-lock.json pins them. The web app serves them itself: no CDN at run time.
$(NODE): package.json package-lock.json
	@command -v npm >/dev/null || scripts/apt-install nodejs npm
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

# The browser tests drive Debian's chromium through Playwright; no browser is ever downloaded.
$(CHROMIUM):
	scripts/apt-install chromium

$(SPACY) $(CITIES) &: $(STAMP) assistant/spacy_pipeline.py assistant/gazetteer.py
	$(BIN)/python -m assistant prepare

$(MODEL): $(STAMP) $(SPACY) $(CITIES) config.yml domain.yml $(TRAINING_DATA)
	$(BIN)/rasa train --config config.yml --domain domain.yml --data data/nlu data/stories \
	  --out models --fixed-model-name assistant
	@touch $@

train: $(MODEL)

run: $(MODEL) $(NODE)
	$(BIN)/python -m assistant run

# Benchmarks, not tests: quality and speed against baselines, measured side by side in one run.
# Prints a summary, writes bench/results/latest.json (+ a dated copy), regenerates docs/benchmarks.md.
.PHONY: bench
bench: $(MODEL)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/hadolint Dockerfile

validate: setup
	$(BIN)/python -m assistant validate

unanswered: $(STAMP)
	$(BIN)/python -m assistant report unanswered $(ARGS)

test: lint validate $(MODEL) $(NODE) $(CHROMIUM)
	$(BIN)/python -m pytest

lock: $(STAMP)
	$(BIN)/uv pip compile requirements.in requirements-dev.in --python-version 3.10 \
	  --python-platform x86_64-manylinux_2_28 --generate-hashes --no-header -o requirements.lock

clean:
	rm -rf $(VENV) build models results .pytest_cache .ruff_cache node_modules screenshots
