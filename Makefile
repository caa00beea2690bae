# 乡镇人大主席团工作平台 — set-up, tests and local stack.
#
#   make run     set everything up (first time: a few minutes) and serve on http://0.0.0.0:8000/
#   make test    the test suite on SQLite with eager Celery (what `make run` uses)
#
# Works on a fresh Debian 12 as root: missing system packages are installed with apt-get.
# Each step leaves a stamp file that is newer than its inputs, so a second `make run` with
# nothing changed skips straight to migrate + serve:
#   var/.system-packages.stamp   Debian packages (scripts/system_packages.sh)
#   .venv/.stamp                 Python packages, newer than config/requirements.lock
#   node_modules/.stamp          npm packages, newer than package-lock.json
#   static/vendor/.stamp         Bootstrap, htmx, ECharts copied out of node_modules

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules --no-print-directory

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 0.0.0.0
PORT ?= 8000
PYTEST_ARGS ?=
# The suite's workers (pytest-xdist), one a core and at most TEST_MAX_WORKERS; each builds its own test database.
# TEST_WORKERS=0 runs the suite in this one process (pdb, -x, a single test).
TEST_WORKERS ?= auto
TEST_MAX_WORKERS ?= 4

LOCK := config/requirements.lock
SYSTEM_STAMP := var/.system-packages.stamp
VENV_STAMP := $(VENV)/.stamp
NODE_STAMP := node_modules/.stamp
VENDOR_STAMP := static/vendor/.stamp

# Tests always run on SQLite with eager Celery, whatever the calling shell exports.
TEST_ENV := env -u DATABASE_URL -u REDIS_URL DJANGO_ENV=development

.PHONY: help run seed install test e2e lint lock stack stack-stop screenshots bench ci clean distclean

help:  ## this list
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# --- set-up ---------------------------------------------------------------------------------

$(SYSTEM_STAMP): scripts/system_packages.sh
	@bash scripts/system_packages.sh base
	@mkdir -p $(@D) && touch $@

# Exactly the lock, nothing unpinned (--no-deps); a C toolchain only if a package must be compiled.
$(VENV_STAMP): $(LOCK) scripts/install_python_deps.sh | $(SYSTEM_STAMP)
	@bash scripts/install_python_deps.sh $(PYTHON)
	@touch $@

$(NODE_STAMP): package-lock.json package.json | $(SYSTEM_STAMP)
	@echo ">>> npm ci (versions from package-lock.json)"
	@npm ci --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error
	@touch $@

$(VENDOR_STAMP): $(NODE_STAMP) scripts/vendor_assets.py
	@$(PYTHON) scripts/vendor_assets.py
	@touch $@

# Translations: the .po files are the source, the compiled .mo files are build products (git-ignored).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard config/locale/*/LC_MESSAGES/*.po))

%.mo: %.po | $(SYSTEM_STAMP)
	@msgfmt --check-format -o $@ $<
	@echo "compiled $@"

install: $(VENV_STAMP) $(VENDOR_STAMP) $(MO_FILES)  ## system packages, .venv, node_modules, static/vendor, .mo (only what is out of date)

# --- the two commands -------------------------------------------------------------------------

# The demo data is (re)loaded when the database changed (a migration ran: new or updated DB), when a
# demo.py or a migration is newer than the last load, or with `make seed`. seed_demo is idempotent,
# so this only saves time: a second `make run` with nothing changed starts in seconds.
DEMO_SOURCES = $(shell find presidium deputies proposals petitions evaluations \( -name demo.py -o -path '*/demo/*.py' \
                 -o -path '*/migrations/*.py' -o -name seed_demo.py \) -not -path '*/__pycache__/*' 2>/dev/null)
SEED_STAMP = var/.demo-seeded-$(shell printf '%s' "$${DATABASE_URL:-}" | md5sum | cut -c1-8)
DEMO_ACCOUNTS_PY := from presidium.demo import DEMO_ACCOUNTS, DEMO_PASSWORD; \
  print(f"演示账号（密码均为 {DEMO_PASSWORD}）："); \
  [print(f"  {a.username:<14} {a.real_name}  {a.note}") for a in DEMO_ACCOUNTS]; \
  print("  admin          系统管理员（Django 后台 /admin/）")

# Development mail goes to files under var/mail/ (settings: EMAIL_FILE_PATH) instead of flooding the
# terminal: the demo data alone sends about a hundred notification e-mails. EMAIL_BACKEND=... overrides.
run seed stack: export EMAIL_BACKEND ?= django.core.mail.backends.filebased.EmailBackend

run: install  ## set up, migrate, load the demo data, serve on 0.0.0.0:8000 (HOST=, PORT= to change)
	@migrate_log="$$(mktemp)"; trap 'rm -f "$$migrate_log"' EXIT; \
	 $(PY) manage.py migrate --noinput | tee "$$migrate_log"; \
	 if [ ! -f $(SEED_STAMP) ] || ! grep -q "No migrations to apply" "$$migrate_log" \
	    || [ -n "$$(find $(DEMO_SOURCES) -newer $(SEED_STAMP) 2>/dev/null | head -n 1)" ]; then \
	   $(PY) manage.py seed_demo && touch $(SEED_STAMP); \
	 else \
	   echo "演示数据已是最新（make seed 可重新载入）"; \
	   $(PY) manage.py shell --no-imports -c '$(DEMO_ACCOUNTS_PY)'; \
	 fi
	@ips="$$(hostname -I 2>/dev/null || true)"; \
	 echo; \
	 echo "================================================================"; \
	 echo "  乡镇人大主席团工作平台（开发服务器）"; \
	 echo "  本机:   http://127.0.0.1:$(PORT)/"; \
	 for ip in $$ips; do case "$$ip" in *:*) ;; *) echo "  局域网: http://$$ip:$(PORT)/";; esac; done; \
	 echo "  演示账号见上，密码均为 Renda2026!   按 Ctrl+C 停止"; \
	 case "$$EMAIL_BACKEND" in *filebased*) echo "  开发环境发出的邮件写在 var/mail/ 下";; esac; \
	 echo "================================================================"; \
	 echo; \
	 hosts="localhost,127.0.0.1,[::1],$$(hostname 2>/dev/null || true)"; \
	 for ip in $$ips; do case "$$ip" in *:*) hosts="$$hosts,[$$ip]";; *) hosts="$$hosts,$$ip";; esac; done; \
	 ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$$hosts}" exec $(PY) manage.py runserver $(HOST):$(PORT)

seed: install  ## load the demo data again (idempotent)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@touch $(SEED_STAMP)

test: install  ## the whole suite except stack/e2e, on SQLite with eager Celery
	$(TEST_ENV) $(BIN)/pytest -m "not stack and not e2e" -n $(TEST_WORKERS) --maxprocesses $(TEST_MAX_WORKERS) \
	    $(PYTEST_ARGS)

# --- everything else --------------------------------------------------------------------------

e2e: install  ## browser tests in headless Chromium (installs Debian's chromium if missing)
	@bash scripts/system_packages.sh browser
	$(TEST_ENV) $(BIN)/pytest -m e2e $(PYTEST_ARGS)

lint: $(VENV_STAMP)  ## ruff
	$(BIN)/ruff check .

lock: $(VENV_STAMP)  ## regenerate config/requirements.lock from pyproject.toml (LOCK_ARGS=--upgrade to move pins)
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS) \
	  -o $(LOCK) pyproject.toml

stack: install  ## PostgreSQL + Redis + gunicorn + Celery worker + beat, like production (PORT, default 8000)
	@bash scripts/stack_services.sh start
	@trap 'bash scripts/stack_services.sh stop' EXIT; \
	 eval "$$(bash scripts/stack_services.sh env)"; \
	 $(PY) manage.py migrate --noinput; \
	 $(PY) manage.py seed_demo; \
	 echo ">>> http://127.0.0.1:$(PORT)/  (Ctrl+C stops web, worker, beat, PostgreSQL and Redis)"; \
	 WEB_BIND=$(HOST):$(PORT) $(BIN)/honcho --no-colour -f config/Procfile start

stack-stop:  ## stop the throwaway PostgreSQL/Redis if an interrupted `make stack` left them
	@bash scripts/stack_services.sh stop

screenshots: install  ## PNGs for the user guide from a running server: make screenshots URL=http://127.0.0.1:8000
	$(PY) scripts/screenshots.py $(or $(URL),http://127.0.0.1:$(PORT))

bench: $(VENV_STAMP)  ## the benchmark against DATABASE_URL (docs/performance.md); BENCH_ARGS="--quick" or "--load"
	$(PY) scripts/bench.py --out var/bench/bench-$$(date +%Y%m%d-%H%M).md $(BENCH_ARGS)

ci:  ## what CI runs (.ci/run)
	bash .ci/run

clean:  ## remove .venv, node_modules, static/vendor, compiled .mo (keeps var/: database, uploads)
	rm -rf $(VENV) node_modules static/vendor $(MO_FILES)
	find . -path ./node_modules -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean  ## clean, and also var/ (the SQLite database, uploads, stamps)
	-@bash scripts/stack_services.sh stop 2>/dev/null
	rm -rf var .ruff_cache
