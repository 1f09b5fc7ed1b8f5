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
	@echo "make dist    build every release artefact into dist/ (docs/releasing.md)"

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
test: lint typecheck test-library test-homeassistant test-ansible test-dist

.PHONY: lint
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: typecheck
typecheck: venv
	$(VENV)/bin/mypy plugins/module_utils/pysmsc emulator/pysmsc_emulator custom_components/smsc tools

# The Home Assistant plugin patches the event loop, sockets and threads for every test it sees,
# so the library's own tests run without it. Three workers: the end-to-end tests mostly wait
# (for a page's bounds, a killed process, a peer's restart).
.PHONY: test-library
test-library: venv
	$(VENV)/bin/pytest -p no:homeassistant --ignore=tests/homeassistant --ignore=tests/ansible \
	  --ignore=tests/dist -n 3 --durations=5 tests

.PHONY: test-homeassistant
test-homeassistant: venv
	$(VENV)/bin/pytest tests/homeassistant --cov=custom_components.smsc --cov-report=term-missing \
	  --cov-fail-under=95

# The collection smsc.messaging: unit tests of the glue, ansible-playbook runs against the
# emulator, ansible-test sanity on the built tarball (Python 3.9-3.13 from pyenv), ansible-lint
# (production profile), the tarball's contents and the changelog fragments. Most of their time is
# spent waiting (for ansible-playbook to start, for a page's bounds), so four workers share two
# cores: 13 minutes in one process, 6.5 in four.
.PHONY: test-ansible
test-ansible: venv
	PYENV_VERSION=3.13.0:3.12.1:3.11.7:3.10.13:3.9.18 $(VENV)/bin/pytest -p no:homeassistant \
	  -n 4 --durations=5 tests/ansible

.PHONY: bench
bench: venv
	$(PY) -m tests.benchmarks

# ---- Releases (docs/releasing.md) -------------------------------------------------------------
# One version everywhere (`[project] version` of pyproject.toml is the source; `make bump` writes
# the copies); `make dist` builds every artefact from a clean checkout; `make test-dist` builds
# the same from the working tree into build/dist-snapshot and proves each one in a clean
# environment (tests/dist); the publish targets are what the release workflow runs.

RELEASE := $(PY) -m tools.release
DIST ?= dist
SNAPSHOT := build/dist-snapshot
CURRENT_VERSION = $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' pyproject.toml)

.PHONY: dist
dist: venv
	@$(RELEASE) check --clean --release $(if $(TAG),--tag $(TAG))
	@$(MAKE) --no-print-directory artefacts DIST=dist
	@ls -l dist

# The artefacts of the working tree into $(DIST): the versions must agree, the tree may be dirty.
# The commit's time stamps the files, so that a rebuild of a commit gives the same wheels and zip.
.PHONY: artefacts
artefacts: export SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)
artefacts: venv
	@$(RELEASE) check
	rm -rf $(DIST) && mkdir -p $(DIST)
	$(PY) -m build --no-isolation --outdir $(DIST) .
	$(PY) -m build --no-isolation --outdir $(DIST) emulator
	$(RELEASE) collection $(DIST)
	$(RELEASE) hacs-zip $(DIST)
	$(VENV)/bin/twine check --strict $(DIST)/*.whl $(DIST)/pysmsc*.tar.gz
	$(RELEASE) sums $(DIST)
	$(RELEASE) expect $(DIST)

.PHONY: test-dist
test-dist: venv
	@$(MAKE) --no-print-directory artefacts DIST=$(SNAPSHOT)
	@$(MAKE) --no-print-directory verify-dist DIST=$(SNAPSHOT)

# Each artefact of $(DIST) installed and used in a clean environment, away from the repository.
.PHONY: verify-dist
verify-dist: venv
	@$(RELEASE) expect $(DIST)
	SMSC_DIST=$(abspath $(DIST)) PYENV_VERSION=3.13.0:3.12.1 \
	  $(VENV)/bin/pytest -p no:homeassistant -p no:cacheprovider --durations=10 tests/dist

.PHONY: bump
bump: venv
	@test -n "$(VERSION)" || { echo "usage: make bump VERSION=X.Y.Z" >&2; exit 2; }
	$(RELEASE) bump $(VERSION)
	@git status --short

# Commit the bump, build and prove the artefacts of that commit, tag it. Then push (releasing.md).
.PHONY: release
release: venv
	@$(RELEASE) check --release
	git add -u && { git diff --cached --quiet || git commit -qm "Release $(CURRENT_VERSION)"; }
	$(MAKE) --no-print-directory dist
	$(MAKE) --no-print-directory verify-dist
	git tag -a "v$(CURRENT_VERSION)" -m "Release $(CURRENT_VERSION)"
	@echo "now: git push origin HEAD v$(CURRENT_VERSION)"

# What the release workflow runs after `make dist` (DRY_RUN=1 prints the commands instead).
RUN = $(if $(DRY_RUN),@echo,)

.PHONY: publish-galaxy
publish-galaxy: export ANSIBLE_GALAXY_SERVER_LIST := release
publish-galaxy: export ANSIBLE_GALAXY_SERVER_RELEASE_URL := https://galaxy.ansible.com/
publish-galaxy: export ANSIBLE_GALAXY_SERVER_RELEASE_TOKEN = $(GALAXY_API_KEY)
publish-galaxy: venv
	@$(RELEASE) expect $(DIST)
	@test -n "$(DRY_RUN)$$ANSIBLE_GALAXY_SERVER_RELEASE_TOKEN" || { echo "GALAXY_API_KEY is not set" >&2; exit 2; }
	$(RUN) $(VENV)/bin/ansible-galaxy collection publish $(DIST)/smsc-messaging-$(CURRENT_VERSION).tar.gz

.PHONY: github-release
github-release:
	@python3 -m tools.release expect $(DIST)
	@mkdir -p build && python3 -m tools.release notes > build/release-notes.md
	$(RUN) gh release create "v$(CURRENT_VERSION)" --verify-tag --title "$(CURRENT_VERSION)" \
	  --notes-file build/release-notes.md $(sort $(wildcard $(DIST)/*))

.PHONY: clean
clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .pytest_cache .ruff_cache
