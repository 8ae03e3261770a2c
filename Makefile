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
HAPROXY := /usr/sbin/haproxy
TRAINING_DATA := $(shell find data/nlu data/stories -name '*.yml' -not -path '*/generated/*' 2>/dev/null)

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help setup train run run-scaled test test-scale lint validate unanswered audit lock clean

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

# The local scaled topology (make run-scaled, make test-scale) balances with Debian's HAProxy.
$(HAPROXY):
	scripts/apt-install haproxy

# The browser tests drive Debian's chromium through Playwright; no browser is ever downloaded.
$(CHROMIUM):
	scripts/apt-install chromium

$(SPACY) $(CITIES) &: $(STAMP) assistant/spacy_pipeline.py assistant/gazetteer.py
	$(BIN)/python -m assistant prepare

$(MODEL): $(STAMP) $(SPACY) $(CITIES) config.yml domain.yml $(TRAINING_DATA) $(wildcard assistant/nlu/*.py)
	$(BIN)/rasa train --config config.yml --domain domain.yml --data data/nlu data/stories \
	  --out models --fixed-model-name assistant
	@touch $@

train: $(MODEL)

run: $(MODEL) $(NODE)
	$(BIN)/python -m assistant run

# The scaled topology on this machine: PostgreSQL and Redis on loopback (as this machine runs
# them), two Rasa replicas, HAProxy in front. Override the ASSISTANT_PG_* / ASSISTANT_REDIS_*
# variables for other servers; credentials never live in the repository.
SCALED_ENV := ASSISTANT_PG_HOST=$${ASSISTANT_PG_HOST:-127.0.0.1} ASSISTANT_PG_PORT=$${ASSISTANT_PG_PORT:-5432} \
  ASSISTANT_PG_DB=$${ASSISTANT_PG_DB:-assistant} ASSISTANT_PG_USER=$${ASSISTANT_PG_USER:-postgres} \
  ASSISTANT_PG_PASSWORD=$${ASSISTANT_PG_PASSWORD:-} ASSISTANT_REDIS_HOST=$${ASSISTANT_REDIS_HOST:-127.0.0.1} \
  ASSISTANT_REDIS_PORT=$${ASSISTANT_REDIS_PORT:-6379} ASSISTANT_REDIS_PASSWORD=$${ASSISTANT_REDIS_PASSWORD:-} \
  ASSISTANT_REDIS_DB=$${ASSISTANT_REDIS_DB:-1} SQL_POOL_SIZE=$${SQL_POOL_SIZE:-10} SQL_MAX_OVERFLOW=$${SQL_MAX_OVERFLOW:-10}

run-scaled: $(MODEL) $(NODE) $(HAPROXY)
	$(SCALED_ENV) $(BIN)/python -m assistant run --scaled

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
	$(BIN)/python -m pytest -m "not scale"

# Scale-out tests: need PostgreSQL and Redis on loopback (and HAProxy, installed here if missing).
test-scale: $(MODEL) $(HAPROXY)
	$(SCALED_ENV) $(BIN)/python -m pytest -m scale

# Known advisories of the locked packages. pip-audit cannot share Rasa 3.6's environment (it needs
# a newer `packaging`), so it runs from a venv of its own; it needs PyPI's advisory data.
PIP_AUDIT_VERSION := 2.10.1
audit: $(STAMP)
	@test -x build/audit-venv/bin/pip-audit || { $(BIN)/python -m venv build/audit-venv && \
	  build/audit-venv/bin/pip install --quiet pip-audit==$(PIP_AUDIT_VERSION); }
	build/audit-venv/bin/pip-audit -r requirements.lock --no-deps --disable-pip --progress-spinner off

lock: $(STAMP)
	$(BIN)/uv pip compile requirements.in requirements-dev.in --python-version 3.10 \
	  --python-platform x86_64-manylinux_2_28 --generate-hashes --no-header -o requirements.lock

clean:
	rm -rf $(VENV) build models results .pytest_cache .ruff_cache node_modules screenshots
