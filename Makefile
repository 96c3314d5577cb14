# Sáng tạo — the two commands: `make run` and `make test`.
SHELL := /bin/bash
BIN := .venv/bin
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?= -n 2

.PHONY: lint fix totp run test install system-deps runtime-deps migrate demo lock messages check bench-import bench prod-up prod-down prod-smoke guide-shots backup restore restore-drill load

install:
	@scripts/venv.sh

system-deps:
	@scripts/system-deps.sh test

runtime-deps:
	@scripts/system-deps.sh runtime

migrate: install runtime-deps
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	@DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo

## make run: venv + install + migrate + demo province, then serve on http://127.0.0.1:8000
run: demo
	@echo ""
	@echo "Mở http://$(HOST)/ — đăng nhập bằng một tài khoản mẫu ở trên."
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

## make lint: ruff (rules and reasons in pyproject.toml) and the formatter's check; make fix applies both
LINT_PATHS := sangtao tests bench scripts manage.py
lint: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

fix: install
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

## make test: install everything (Python packages, Chromium, fonts), lint, and run the whole suite
test: install system-deps lint
	SANGTAO_TESTING=1 DJANGO_SETTINGS_MODULE=sangtao.settings_test $(BIN)/python -m pytest $(PYTEST_ARGS)

check: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SECRET_KEY=check-only-$$(date +%s)-not-a-real-key-but-long-enough-for-django-5.2 $(BIN)/python manage.py check --deploy --fail-level WARNING

## make messages: refresh the English catalogue (our source strings are Vietnamese) and the Vietnamese
## catalogue of allauth's strings, then compile both (.mo files are committed)
messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l en --no-obsolete --ignore '.venv/*' --ignore 'tests/*' --ignore 'scripts/*' --ignore 'bench/*'
	$(BIN)/python scripts/allauth_vi.py
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --ignore '.venv/*'

lock:
	$(BIN)/pip install -q -r requirements.in && $(BIN)/pip freeze > requirements.lock

## make prod-up / prod-down: the production profile on loopback (gunicorn ×3, Celery workers ×2 + beat on
## Redis, PostgreSQL, files on S3 via moto's S3 server); make prod-smoke: a scripted flow against it
prod-up: install
	@scripts/prod.sh up

prod-down:
	@scripts/prod.sh down

prod-smoke: install
	@scripts/prod.sh smoke

## make load: a deadline-day load with faults injected against the production profile (after make prod-up)
load: install
	@scripts/prod.sh load --users $${LOAD_USERS:-20} --seconds $${LOAD_SECONDS:-60} --faults

## make backup: database + every uploaded file + a manifest (row counts, file hashes) into var/backups/<time>/
## make restore BACKUP=var/backups/<time>: load it and verify every row count and file hash
## make restore-drill: back up, restore into a fresh database and folder, verify, print the time it took
backup: install
	@$(BIN)/python scripts/backup.py backup

restore: install
	@$(BIN)/python scripts/backup.py restore $(BACKUP)

restore-drill: install
	@$(BIN)/python scripts/backup.py drill

## make guide-shots: refresh the user guide's screenshots (docs/img) from the last browser-test run
guide-shots:
	@for f in docs/img/*.png; do n=$$(basename $$f); [ -f var/screenshots/$$n ] && cp var/screenshots/$$n docs/img/$$n; done; echo "docs/img: $$(ls docs/img | wc -l) ảnh"

## make bench: the coverage rollup vs. hand-written SQL — province on SQLite and PostgreSQL, nation on PostgreSQL
## (the nation's data takes a few minutes to generate the first time; bench/RESULTS.md)
bench: install
	$(BIN)/python bench/coverage.py province sqlite
	$(BIN)/python bench/coverage.py province postgres
	$(BIN)/python bench/coverage.py nation postgres

## make bench-import: time the import of a 10,000-organization province workbook (bench/RESULTS.md)
bench-import: install
	$(BIN)/python bench/import_province.py

## make totp U=btctu.quantri: the current TOTP code of a demo account (development only)
totp:
	@DJANGO_DEBUG=1 $(BIN)/python manage.py totp_code $(U)
