# The two commands of the README are `make demo` and `make test`; both set everything up first.
# Every target is safe to run again: the virtual environment is rebuilt only when the pinned
# versions or the project metadata change.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Python 3.13+ is required (Home Assistant needs it): the first one on PATH that really runs,
# otherwise the newest 3.13+ that pyenv knows.
define find_python
for c in python3.14 python3.13 python3; do \
  if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then \
    command -v "$$c"; exit 0; \
  fi; \
done; \
if command -v pyenv >/dev/null 2>&1; then \
  for v in $$(pyenv versions --bare | grep -E '^3\.(1[3-9]|[2-9][0-9])(\.[0-9]+)?$$' | sort -t. -k1,1n -k2,2n -k3,3n -r); do \
    PYENV_VERSION="$$v" pyenv which python3 && exit 0; \
  done; \
fi; \
echo "Python 3.13 or newer is required: put it on PATH or install it with pyenv" >&2; exit 1
endef

.PHONY: help
help:
	@echo "make demo    run the demo against the local emulator"
	@echo "make test    run every test, type check and lint"
	@echo "make bench   print the benchmark figures"

$(STAMP): pyproject.toml emulator/pyproject.toml constraints.txt
	@python=$$($(find_python)); \
	if [ ! -x "$(PY)" ] || ! "$(PY)" -c 'import sys; sys.exit(sys.version_info < (3, 13))'; then \
	  echo "creating $(VENV) with $$python"; rm -rf "$(VENV)"; "$$python" -m venv "$(VENV)"; \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]' -e ./emulator
	@touch $(STAMP)

.PHONY: venv
venv: $(STAMP)

.PHONY: demo
demo: venv
	$(PY) docs/demo/run_demo.py

.PHONY: test
test: lint typecheck test-library test-homeassistant test-ansible

.PHONY: lint
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: typecheck
typecheck: venv
	$(VENV)/bin/mypy plugins/module_utils/pysmsc emulator/pysmsc_emulator custom_components/smsc

# The Home Assistant plugin patches the event loop, sockets and threads for every test it sees,
# so the library's own tests run without it.
.PHONY: test-library
test-library: venv
	$(VENV)/bin/pytest -p no:homeassistant --ignore=tests/homeassistant --ignore=tests/ansible tests

.PHONY: test-homeassistant
test-homeassistant: venv
	$(VENV)/bin/pytest tests/homeassistant --cov=custom_components.smsc --cov-report=term-missing \
	  --cov-fail-under=95

# The collection smsc.messaging: unit tests of the glue, ansible-playbook runs against the
# emulator, ansible-test sanity on the built tarball (Python 3.9-3.13 from pyenv), ansible-lint
# (production profile), the tarball's contents and the changelog fragments.
.PHONY: test-ansible
test-ansible: venv
	PYENV_VERSION=3.13.0:3.12.1:3.11.7:3.10.13:3.9.18 $(VENV)/bin/pytest -p no:homeassistant tests/ansible

.PHONY: bench
bench: venv
	$(PY) -m tests.benchmarks

.PHONY: clean
clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .pytest_cache .ruff_cache
