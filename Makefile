# Two commands on a fresh machine: `make demo` and `make test`. Everything else is set up from here.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PDL_HOME ?= $(CURDIR)/lake

.PHONY: setup demo test dev bench eval clean

$(STAMP): requirements.lock pyproject.toml setup.py warehouse/string_views.h \
    desensitize/_hmac.c quality/validators/_checks.c
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

# Benchmarks print ratios against a baseline measured in the same run (see README, "Figures").
bench: setup
	$(BIN)/python -m bench.quality --rows 1000000
	$(BIN)/python -m bench.desensitize --rows 1000000
	$(BIN)/python -m bench.redact_text
	$(BIN)/python -m bench.redact_text --rows 200000 --repeat 2

eval: setup
	$(BIN)/python -m bench.eval_columns
	$(BIN)/python -m bench.eval_text

clean:
	rm -rf $(PDL_HOME)
