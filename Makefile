# Two commands on a fresh clone: `make demo` and `make test`. Both set up everything they need.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf demo && mkdir -p demo
	$(BIN)/python examples/make_demo_repo.py demo/acme-repo
	$(BIN)/reposcrub scrub demo/acme-repo --out demo/snapshot --profile examples/acme-profile.toml
	$(BIN)/reposcrub verify demo/snapshot --profile examples/acme-profile.toml --format table

test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

clean:
	rm -rf $(VENV) demo
