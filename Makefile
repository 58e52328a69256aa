# Two commands: `make run` and `make test`. Everything else is a helper of theirs.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Both cores: tests spread over two processes; those that share the broker stay on one.
PYTEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help install run serve migrate demo test bench lint format messages static-vendor check-deploy clean backup restore

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	UV_PYTHON_DOWNLOADS=never $(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced  ## Create .venv with the locked dependencies (bootstraps uv with pip if missing)

migrate: install  ## Apply database migrations
	$(PY) manage.py migrate --no-input

demo: migrate  ## Load the demo network and accounts (idempotent)
	$(PY) manage.py load_demo

run: demo  ## Install, migrate, load the demo data, then serve on http://127.0.0.1:8000 with a Celery worker and beat
	HOST=$(HOST) PORT=$(PORT) bash scripts/run.sh

test: install  ## Run the whole suite (SQLite and the filesystem broker unless DATABASE_URL / CELERY_BROKER_URL say otherwise)
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

bench: install  ## Benchmark at Pudong's size on the local PostgreSQL with gunicorn and wrk (docs/benchmarks.md)
	@command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
	$(PY) scripts/bench.py $(BENCH_ARGS)

lint: install  ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install  ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install  ## Update and compile the Chinese translations (needs gettext)
	$(PY) manage.py makemessages -l zh_Hans -e html,txt,py,md -i "docs/*" -i ".venv/*" -i ".tools/*" -i "var/*" -i "static/*"
	$(PY) manage.py compilemessages -l zh_Hans -i .venv -i .tools

static-vendor:  ## Fetch the pinned front-end packages from the npm registry into static/vendor (needs npm)
	bash scripts/vendor_static.sh

# A shared cache as production has (portal.E001 refuses a per-process one); the check connects to nothing.
check-deploy: install  ## Django's deployment checks under the production profile
	DJANGO_SETTINGS_MODULE=portal.settings.production \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	ALLOWED_HOSTS=portal.example.org DATABASE_URL=sqlite:///var/check.sqlite3 \
	CACHE_URL=redis://127.0.0.1:6379/1 \
	$(PY) manage.py check --deploy --fail-level WARNING

backup: install  ## Back up the database and the uploaded files into var/backups/ (docs/operations.md)
	$(PY) manage.py backup

restore: install  ## Restore a backup: make restore FILE=var/backups/portal-….dump (FORCE=1 to replace a non-empty database)
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/portal-<time>.dump|.sqlite3 [FORCE=1]"; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(filter 1 yes true,$(FORCE)),--force)

clean:  ## Remove the environment and local data (var/)
	rm -rf $(VENV) .tools var
