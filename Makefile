# 心理鸭 (Psych Duck) — one entry point for developers, CI and the demo.
# Every target bootstraps the locked Python toolchain into .venv/ first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
LAB_INVENTORY ?= inventories/lab
# coverage of app/ by tests/unit + tests/app (line coverage: 89.0 % measured 2026-12-03); raise it, never lower it
COVERAGE_FLOOR := 88.5
AUDIT_IGNORE := .ci/pip-audit-ignore.txt
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
# FAST=0: Ansible's plain linear strategy instead of Mitogen (ansible.cfg's default); see docs/lab.md "Converge speed"
FAST ?= 1
ifeq ($(FAST),0)
export ANSIBLE_STRATEGY := linear
endif
export CREWAI_DISABLE_TELEMETRY := true
export CREWAI_TRACING_ENABLED := false
export CREWAI_DISABLE_VERSION_CHECK := true

.PHONY: help venv host-deps lint test test-unit test-app test-browser screenshots test-app-services test-lab \
        test-lab-all audit audit-deps coverage lab-up lab-down lab-status demo dev bench clean \
        check-inventory check-inventories deploy test-role test-roles test-roles-ci role-docs

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q uv==$(UV_VERSION)

$(VENV)/.synced: $(BIN)/uv uv.lock pyproject.toml
	$(BIN)/uv sync --frozen --python $(BIN)/python
	@touch $@

venv: $(VENV)/.synced ## create .venv from uv.lock (Python tools, Ansible, the app)

host-deps: ## install the Debian packages the controller needs (root; only the missing ones)
	@missing=$$(grep -vE '^\s*(#|$$)' .ci/packages.txt | while read -r p; do \
		dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'ok installed' || echo "$$p"; done); \
	if [ -n "$$missing" ]; then \
		echo "host-deps: installing" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

lint: venv ## ruff, mypy, ansible-lint (production profile)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/ansible-lint --profile production --strict

test-unit: venv ## fast unit tests (no services); records coverage of app/ for `make coverage`
	@mkdir -p build/coverage
	COVERAGE_FILE=build/coverage/unit $(BIN)/pytest tests/unit --cov=app --cov-report=

test-app: venv ## API tests on SQLite with in-process fallbacks; records coverage of app/ for `make coverage`
	@mkdir -p build/coverage
	COVERAGE_FILE=build/coverage/app $(BIN)/pytest tests/app --cov=app --cov-report=

test-browser: venv ## the web client in headless Chromium (Debian's chromium, no browser download)
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/pytest tests/browser

screenshots: venv ## screenshots of the web client's main views into docs/img/ (README)
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 DUCK_WEB_SCREENSHOTS=docs/img $(BIN)/pytest -q tests/browser

test-app-services: venv ## the same API tests on a real PostgreSQL 15 and Redis on loopback
	DUCK_TEST_BACKEND=services $(BIN)/pytest tests/app

test-lab: venv ## lab tests proven as one suite in CI: real systemd hosts (root)
	$(BIN)/pytest tests/lab -m "not unproven"

test-lab-all: venv ## every lab test, including tiers not yet proven together in CI (see tests/lab/conftest.py)
	$(BIN)/pytest tests/lab

ROLE_LAB_SLOT ?= 1
test-role: venv ## molecule for one role on its own small lab (ROLE=<role>; ROLE_LAB_SLOT=1..9; root)
	@test -n "$(ROLE)" || { echo "usage: make test-role ROLE=<role>"; exit 2; }
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python lab/role_lab.py --slot $(ROLE_LAB_SLOT) test $(ROLE)

# CI's share of the role tests (the whole set takes ~60 min on 2 cores, over CI's budget: docs/lab.md "Role tests")
CI_ROLES ?= common
test-roles-ci: venv ## molecule for the roles CI runs (CI_ROLES; root)
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python lab/role_lab.py --slot $(ROLE_LAB_SLOT) test $(CI_ROLES)

test-roles: venv ## molecule for every role, one after another, then a timing table (root)
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python lab/role_lab.py --slot $(ROLE_LAB_SLOT) test --all

audit: audit-deps coverage ## dependency vulnerability scan + coverage floor (after test-unit and test-app)

audit-deps: venv ## pip-audit every locked package; a known vulnerability fails (docs/app.md, "Dependency audit")
	@mkdir -p build
	$(BIN)/uv export --frozen --no-hashes --no-emit-project --all-groups --quiet -o build/requirements-audit.txt
	$(BIN)/python .ci/audit_deps.py --requirements build/requirements-audit.txt --ignore-file $(AUDIT_IGNORE) \
		--pip-audit $(BIN)/pip-audit $(if $(AUDIT_STRICT),--strict)

coverage: venv ## combine the coverage of the last test-unit + test-app runs; fail below COVERAGE_FLOOR
	@for f in unit app; do [ -f build/coverage/$$f ] || { echo "coverage: no build/coverage/$$f: run make test-unit test-app first" >&2; exit 1; }; done
	@COVERAGE_FILE=build/coverage/combined $(BIN)/coverage combine --keep --quiet build/coverage/unit build/coverage/app
	COVERAGE_FILE=build/coverage/combined $(BIN)/coverage report --skip-covered --skip-empty --fail-under=$(COVERAGE_FLOOR)

test: host-deps lint test-unit check-inventories test-app test-browser test-app-services test-lab test-roles-ci audit ## everything CI runs

lab-up: host-deps venv ## create every host of the lab inventory
	$(BIN)/python lab/labctl.py -i $(LAB_INVENTORY) up

lab-down: venv ## remove the lab and everything it left on this machine
	$(BIN)/python lab/labctl.py -i $(LAB_INVENTORY) down

lab-status: venv ## show the lab hosts
	$(BIN)/python lab/labctl.py -i $(LAB_INVENTORY) status

demo: lab-up ## lab up, deploy the whole stack, print the HTTPS URL
	@start=$$(date +%s); \
	$(BIN)/ansible-playbook -i $(LAB_INVENTORY) playbooks/site.yml || exit $$?; \
	echo "demo: playbooks/site.yml converged on $(LAB_INVENTORY) in $$(( $$(date +%s) - start )) s"
	@$(BIN)/python lab/labctl.py -i $(LAB_INVENTORY) status
	@if [ -f playbooks/demo_summary.yml ]; then \
		$(BIN)/ansible-playbook -i $(LAB_INVENTORY) playbooks/demo_summary.yml; \
	else \
		echo "demo: every lab host is up and converged (playbooks/demo_summary.yml, which prints the URL, not there yet)"; \
	fi
	@echo "demo: tear the lab down with: make lab-down"

# --- real environments (docs/deploy.md) -------------------------------------------------------------------------
INVENTORIES := dev test staging production
VAULT_ARGS ?=

check-inventory: venv ## validate inventories/$(ENV) without touching a host (its vault.yml, else a throwaway one)
	@test -n "$(ENV)" || { echo "usage: make check-inventory ENV=<dev|test|staging|production>"; exit 2; }
	@inv=inventories/$(ENV); gv=$$inv/group_vars/all; \
	test -f $$inv/hosts.yml || { echo "check-inventory: no $$inv/hosts.yml"; exit 2; }; \
	extra=(); \
	if [ -f $$gv/vault.yml ]; then \
		echo "check-inventory: $$inv with $$gv/vault.yml"; \
	else \
		tmp=$$(mktemp --suffix=.yml); trap 'rm -f "$$tmp"' EXIT; \
		$(BIN)/python playbooks/files/throwaway_vault.py $$gv/vault.yml.example "$$tmp" || exit 2; \
		echo "check-inventory: $$inv has no vault.yml: checking with a throwaway vault generated from $$gv/vault.yml.example"; \
		extra=(-e "@$$tmp"); \
	fi; \
	$(BIN)/ansible-playbook -i $$inv playbooks/check_inventory.yml --check "$${extra[@]}" $(VAULT_ARGS) $(CHECK_ARGS) \
		&& echo "check-inventory: $$inv OK"

role-docs: venv ## rewrite the roles' README variable tables from meta/argument_specs.yml
	$(BIN)/python lab/role_docs.py

check-inventories: venv ## check-inventory for every committed environment (throwaway vaults from the examples)
	@for e in $(INVENTORIES); do $(MAKE) --no-print-directory check-inventory ENV=$$e || exit 1; done

deploy: venv ## check-inventory, then site.yml (ENV=<env>) or a rolling update to a tag (VERSION=<tag>)
	@test -n "$(ENV)" || { echo "usage: make deploy ENV=<env> [VERSION=<tag>]"; exit 2; }
	@test -f inventories/$(ENV)/group_vars/all/vault.yml || { \
		echo "deploy: inventories/$(ENV)/group_vars/all/vault.yml is missing (cp vault.yml.example vault.yml, fill it, ansible-vault encrypt it)"; exit 2; }
	@if [ "$(ENV)" = production ] && [ -z "$(VERSION)" ]; then \
		echo "deploy: production deploys a release tag only: make deploy ENV=production VERSION=vX.Y.Z (docs/deploy.md)"; exit 2; fi
	@if [ -n "$(VERSION)" ]; then git rev-parse -q --verify "refs/tags/$(VERSION)" >/dev/null || { \
		echo "deploy: no tag $(VERSION) in this repository (git fetch --tags?)"; exit 2; }; fi
	$(MAKE) --no-print-directory check-inventory ENV=$(ENV)
	@set -e; if [ -z "$(VERSION)" ]; then \
		echo "deploy: playbooks/site.yml on inventories/$(ENV) from this checkout ($$(git describe --always --dirty))"; \
		$(BIN)/ansible-playbook -i inventories/$(ENV) playbooks/site.yml $(VAULT_ARGS); \
	else \
		src=$(CURDIR)/build/deploy/$(VERSION); rm -rf "$$src"; mkdir -p build/deploy; \
		git archive --format=tar --prefix=$(VERSION)/ "$(VERSION)" | tar -x -C build/deploy; \
		echo "deploy: rolling update of inventories/$(ENV) to $(VERSION) (sources: $$src)"; \
		$(BIN)/ansible-playbook -i inventories/$(ENV) playbooks/rolling_update.yml -e app_project_dir=$$src $(VAULT_ARGS); \
	fi

dev: venv ## development server: SQLite, offline engine, hot reload on :8000
	ENVIRONMENT=development $(BIN)/duck serve --reload

bench: venv ## benchmarks (print figures, assert nothing)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean: ## remove build artefacts (not the lab: see lab-down)
	rm -rf build dist .pytest_cache .ruff_cache .mypy_cache
