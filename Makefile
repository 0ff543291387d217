# Two commands on a fresh machine: `make demo` and `make test`. Everything else is set up from here.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PDL_HOME ?= $(CURDIR)/lake

.PHONY: setup demo test dev bench eval clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/pdl demo

test: setup
	$(BIN)/pytest

dev: setup
	mkdir -p $(PDL_HOME)/dagster
	test -e $(PDL_HOME)/dagster/dagster.yaml || ln -s $(CURDIR)/dagster.yaml $(PDL_HOME)/dagster/dagster.yaml
	DAGSTER_HOME=$(PDL_HOME)/dagster $(BIN)/dagster dev -h 127.0.0.1 -p 3000 -m pipelines.definitions

bench: setup
	$(BIN)/python bench/quality.py --rows 1000000
	$(BIN)/python bench/desensitize.py --rows 1000000
	$(BIN)/python bench/redact_text.py

eval: setup
	$(BIN)/python bench/eval_columns.py
	$(BIN)/python bench/eval_text.py

clean:
	rm -rf $(PDL_HOME)
