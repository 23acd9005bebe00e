# Mel Spectrograms, Step by Step: every command a learner or a teacher needs.
#   make lab    install (first time) and open the notebooks in JupyterLab
#   make test   install (first time) and run every test: unit tests + nbval on every notebook
# Everything lives in .venv; it is rebuilt when requirements.txt changes.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8888
# Jupyter refuses to run as root without this flag (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# The second CI leg: the newest releases of everything but torch/torchaudio, on Python 3.13.
LATEST    := .venv-latest
LATEST_PY ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) python3.13)
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with .nbval-sanitize.cfg

.PHONY: lab test test-latest ja unit explore notebooks execute bench site slides reveal app offline reproduce clean help

help:
	@sed -n '2,4p' Makefile

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade --quiet pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

lab: $(STAMP)
	@echo "Opening JupyterLab on notebooks/ - open the http://$(HOST):$(PORT)/lab?token=... URL printed below."
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --no-browser --ip=$(HOST) --port=$(PORT) $(ROOT_FLAG)

test: $(STAMP)
	$(PY) -m pytest $(NBVAL) tests notebooks

# The same tests on the newest releases (requirements-latest.txt) and Python 3.13, in .venv-latest.
$(LATEST)/.installed: requirements-latest.txt pyproject.toml
	@test -x $(LATEST)/bin/python || $(LATEST_PY) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --upgrade --quiet pip
	$(LATEST)/bin/python -m pip install --upgrade --quiet -r requirements-latest.txt
	@touch $@

test-latest: $(LATEST)/.installed
	$(LATEST)/bin/python -m pip list 2>/dev/null | grep -iE '^(librosa|numpy|scipy|matplotlib|ipywidgets|torch|torchaudio) '
	$(LATEST)/bin/python -m pytest $(NBVAL) tests notebooks

unit: $(STAMP)
	$(PY) -m pytest tests

# The property tests with fresh randomness (make test runs them on a fixed seed, so its verdict
# never changes from run to run). Run by hand to look wider; turn what it finds into a named test.
explore: $(STAMP)
	HYPOTHESIS_PROFILE=explore $(PY) -m pytest tests -k "not browser and not site"

notebooks: $(STAMP)
	$(PY) -m pytest $(NBVAL) notebooks

# Re-run every notebook top to bottom and store its outputs (after editing one).
execute: $(STAMP)
	$(PY) scripts/execute_notebooks.py $(NB)

# The Japanese edition: copy code and outputs from each English notebook into its twin in
# notebooks/ja/ and list every prose cell that is untranslated or stale (see scripts/sync_ja.py).
ja: $(STAMP)
	$(PY) scripts/sync_ja.py

# Performance report: writes bench/results.md (see scripts/bench.py).
bench: $(STAMP)
	$(PY) scripts/bench.py

# Static HTML pages from the executed notebooks, in _site/ (see scripts/build_site.py).
site: $(STAMP)
	$(PY) scripts/build_site.py

# One reveal.js deck per chapter in _slides/, from the stored outputs and the cells' slide
# metadata; opens from disk with no network. reveal.js is the npm package, pinned, installed
# once into .reveal/ (needs node and npm; the only step here that downloads).
REVEAL_VERSION := 5.2.1
REVEAL := .reveal/node_modules/reveal.js
$(REVEAL)/.installed-$(REVEAL_VERSION):
	@command -v npm >/dev/null || { echo "make slides needs npm (Node.js) to install reveal.js: apt-get install -y npm"; exit 1; }
	npm install --prefix .reveal --no-save --no-package-lock --no-audit --no-fund reveal.js@$(REVEAL_VERSION)
	@touch $@

reveal: $(REVEAL)/.installed-$(REVEAL_VERSION)

slides: $(STAMP) reveal
	$(PY) scripts/build_slides.py --reveal $(REVEAL)

# Every chapter's explorer behind a chapter menu, as one standalone page (Voila) for a
# classroom projector: open the http://$(HOST):$(PORT)/ URL it prints.
app: $(STAMP)
	$(VENV)/bin/voila notebooks/classroom.ipynb --no-browser --Voila.ip=$(HOST) --port=$(PORT)

# `make test` with the network cut off (Linux, unshare): proves nothing downloads.
offline: $(STAMP)
	unshare -rn sh -c 'ip link set lo up && exec $(PY) -m pytest $(NBVAL) tests notebooks'

# A copy at another path, executed afresh, gives the stored text outputs.
reproduce: $(STAMP)
	$(PY) scripts/check_reproducible.py

clean:
	rm -rf $(VENV) $(LATEST)
