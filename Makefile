# Two commands for a new machine: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements-installed
CHROMIUM := /usr/bin/chromium
SOFFICE  := /usr/bin/soffice

.PHONY: setup run test lint unit browser data bench bench-quick clean

# Re-installs only when requirements.txt changes (the stamp is newer otherwise).
$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium for the browser tests (never a browser download).
$(CHROMIUM):
	@if [ "$$(id -u)" = "0" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; \
	else \
	  echo "The browser tests need Debian's Chromium at $(CHROMIUM): run 'sudo apt-get install chromium'"; exit 1; \
	fi

# Debian's LibreOffice (Writer, no GUI) and poppler-utils for the paper layout tests (-m paper):
# each paper is converted to PDF and read back with pdfinfo and pdftotext.
$(SOFFICE):
	@if [ "$$(id -u)" = "0" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui poppler-utils; \
	else \
	  echo "The paper layout tests need LibreOffice at $(SOFFICE): run 'sudo apt-get install libreoffice-writer-nogui poppler-utils'"; exit 1; \
	fi

run: setup
	$(PY) tools/audit_key.py
	$(PY) -m streamlit run serve.py

lint: setup
	$(PY) -m ruff check .

# Quick feedback: everything except the browser tests and the slow ones (-m slow: the tools' end-to-end runs, the importer round trip); make test runs them all.
unit: setup
	$(PY) -m pytest -q -n 2 -m "not browser and not slow" tests

browser: setup $(CHROMIUM)
	$(PY) -m pytest -q -m browser tests

# Lint, then every test: unit, calibration, AppTest, the browser tests in headless Chromium and the
# paper layout tests in LibreOffice.
test: setup $(CHROMIUM) $(SOFFICE)
	$(PY) -m ruff check .
	$(PY) -m pytest -q -n 2 tests

# Regenerates the shipped synthetic dataset, byte-identical for the same code.
data: setup
	$(PY) -m tools.synthetic --out data

bench: setup
	$(PY) -m tools.bench

clean:
	rm -rf test-artifacts .pytest_cache .ruff_cache
