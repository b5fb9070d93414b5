# Two commands do everything: `make run` (the bot) and `make test` (the whole suite).
# Both create the virtual environment, install the pinned dependencies and train the model when
# it is missing or older than its training data.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
MODEL := models/kap.tar.gz
TRAINING_DATA := config.yml domain.yml $(wildcard data/nlu/*.yml data/stories/*.yml data/rules/*.yml) \
  data/safety/crisis_examples.yml data/languages/glossary.yml $(wildcard bot/nlu/*.py)
# The names of those files, rewritten (and so newer than the model) only when one is added or
# removed: a deleted training file must retrain the model too, which its date alone cannot do.
TRAINING_FILES := models/training-files.txt
$(shell mkdir -p models; ls $(TRAINING_DATA) | cmp -s - $(TRAINING_FILES) || ls $(TRAINING_DATA) > $(TRAINING_FILES))
WIDGET_VENDOR := bot/channels/widget/vendor/socket.io.min.js
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx
ENDPOINTS ?= endpoints.yml
RASA_PORT ?= 5005
WIDGET_PORT ?= 8080
ACTIONS_PORT ?= 5055
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

# Rasa 3.6 needs Python 3.10 (3.8-3.10): a python3.10 on PATH, or one installed through pyenv.
PYTHON310 := $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
  $$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo $$p; break; }; done)

.PHONY: install train run test check bench report audit clean system-packages

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "Python 3.10 was not found (Rasa 3.6 runs on Python 3.8-3.10 only)."; \
	  echo "Install it, e.g. 'apt-get install python3.10 python3.10-venv' or 'pyenv install 3.10.13', then run this again."; \
	  exit 1; fi
	$(PYTHON310) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

train: $(MODEL)

# The widget's socket.io client, from npm (pinned in package-lock.json), copied where it is served.
$(WIDGET_VENDOR): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(@D) && cp node_modules/socket.io-client/dist/socket.io.min.js $@

# Debian packages the tests need: chromium (driven by Playwright, no browser download), the
# PostgreSQL and Redis servers of the scale-out test (each test starts its own on a free port)
# nginx, whose `nginx -t` checks deploy/nginx.conf (tests/ops/test_recipes.py), and wamerican,
# the English word list that no glossary form may rewrite (tests/nlu/test_glossary.py).
system-packages:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	[ -x $(NGINX) ] || missing="$$missing nginx"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	[ -f /usr/share/dict/american-english ] || missing="$$missing wamerican"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "The tests need Debian's$$missing: run 'sudo apt-get install$$missing'."; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(MODEL): $(VENV)/.installed $(TRAINING_DATA) $(TRAINING_FILES)
	$(BIN)/rasa train --config config.yml --domain domain.yml \
	  --data data/nlu data/stories data/rules --out models --fixed-model-name kap
	touch $@

run: $(MODEL) $(WIDGET_VENDOR)
	$(BIN)/python -m bot serve --model $(MODEL) --port $(RASA_PORT) --actions-port $(ACTIONS_PORT) --widget-port $(WIDGET_PORT) --endpoints $(ENDPOINTS)

test: system-packages $(MODEL) $(WIDGET_VENDOR)
	$(BIN)/python -m pytest

# The fast tier: lint and format checks, then every test that needs neither the trained model nor
# a server (well under a minute).
check: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -m "not e2e"

# Answer quality against a TF-IDF baseline, latency, load, training and start-up: results/.
bench: $(MODEL)
	$(BIN)/python -m bot.bench

# What patients asked over the last DAYS days, from the tracker store: results/report.md and .png.
DAYS ?= 30
report: $(VENV)/.installed
	$(BIN)/python -m bot report --days $(DAYS)

# Known vulnerabilities in the pinned dependencies (pip-audit in a venv of its own, so that its
# newer dependencies do not disturb Rasa's). Findings and what is done about them: README.
audit:
	@test -x .venv-audit/bin/pip-audit || { $(PYTHON310) -m venv .venv-audit && .venv-audit/bin/pip install --quiet pip-audit==2.7.3; }
	.venv-audit/bin/pip-audit --requirement requirements-dev.txt --no-deps --vulnerability-service pypi --strict --progress-spinner off

clean:
	rm -rf models .rasa node_modules bot/channels/widget/vendor
