# MPP Digital. Quick start: `make run` (serves http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

# make run: a real server (gunicorn) on SQLite in var/, demo data, no other service.
RUN_ENV := MPP_DEMO=$${MPP_DEMO:-true} DEBUG=$${DEBUG:-false} MPP_HTTPS=$${MPP_HTTPS:-false} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} \
	PROMETHEUS_MULTIPROC_DIR=$${PROMETHEUS_MULTIPROC_DIR:-$(CURDIR)/var/prometheus} \
	SECRET_KEY=$${SECRET_KEY:-$$(cat var/secret_key)} MPP_FIELD_KEYS=$${MPP_FIELD_KEYS:-$$(cat var/field_key)} \
	MPP_LOOKUP_KEY=$${MPP_LOOKUP_KEY:-$$(cat var/lookup_key)} \
	MPP_OIDC_PRIVATE_KEY_FILE=$${MPP_OIDC_PRIVATE_KEY_FILE:-$(CURDIR)/var/oidc.pem} DJANGO_SETTINGS_MODULE=mpp.config.settings

.PHONY: run simulator reliability test lint install install-dev lock messages openapi clean bench bench-http bench-cases bench-submit bench-tracking bench-lag bench-outbox

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements/main.txt pyproject.toml
	$(BIN)/pip install -q -r requirements/main.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements/dev.txt
	$(BIN)/pip install -q -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

var/secret_key var/lookup_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

var/field_key:
	mkdir -p var
	$(PYTHON) -c "import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())" > $@
	chmod 600 $@

# The ID-token signing key of the OpenID Connect provider (RSA, PEM), made once.
var/oidc.pem: | $(VENV)/.installed
	mkdir -p var
	$(BIN)/python -c "from cryptography.hazmat.primitives import serialization as s; \
	from cryptography.hazmat.primitives.asymmetric import rsa; \
	print(rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(s.Encoding.PEM, \
	s.PrivateFormat.PKCS8, s.NoEncryption()).decode(), end='')" > $@
	chmod 600 $@

run: install var/secret_key var/field_key var/lookup_key var/oidc.pem
	@$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v 0
	@$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput -v 0
	@$(RUN_ENV) $(BIN)/python manage.py load_demo
	@echo ""
	@echo "MPP Digital runs at http://127.0.0.1:8000  (admin: /admin/, API: /api/v1/docs)"
	@echo "Beside it run: the task worker (db_worker), the SLA timers (workflow_timers) and the outbox worker (outbox_worker)."
	@echo ""
	@$(RUN_ENV) $(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	$(RUN_ENV) $(BIN)/python manage.py workflow_timers --every 60 & timers=$$!; \
	$(RUN_ENV) $(BIN)/python manage.py outbox_worker --every 1 & outbox=$$!; \
	trap 'kill $$worker $$timers $$outbox 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/gunicorn mpp.config.wsgi -c python:mpp.config.gunicorn

# The agency simulator (tools/agency_simulator) beside `make run`: plays SIAK of Disdukcapil
# Banyuwangi with the demo endpoint secret and client of src/mpp/integrations/demo.py.
SIMULATOR_ENV := AGENCY_SIM_PLATFORM=$${AGENCY_SIM_PLATFORM:-http://127.0.0.1:8000} \
	AGENCY_SIM_SECRET=$${AGENCY_SIM_SECRET:-whsec_ZGVtby1zaWFrLWJhbnl1d2FuZ2ktbXBwLTIwMjYtb2s=} \
	AGENCY_SIM_CLIENT_ID=$${AGENCY_SIM_CLIENT_ID:-demo-siak-simulator} \
	AGENCY_SIM_CLIENT_SECRET=$${AGENCY_SIM_CLIENT_SECRET:-demo-siak-simulator-rahasia-2026}

simulator: install
	@$(SIMULATOR_ENV) $(BIN)/python -m tools.agency_simulator

# Outbox delivery under failures on PostgreSQL (database mpp_reliability, dropped and created):
# 500 submissions, the agency system failing for a while, a worker killed; one summary line.
reliability: install-dev
	$(BIN)/python tests/reliability/run.py

# Submission-to-delivery lag of agency events under 20 submitting clients (no injected failures).
bench-lag: install-dev
	$(BIN)/python tests/reliability/run.py --calm --applications 1000 --clients 20 --timeout 300

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check src tests tools
	$(BIN)/ruff format --check src tests tools
	$(BIN)/mypy

# Recompile the pinned dependencies from the ranges in pyproject.toml.
lock: install-dev
	$(BIN)/pip-compile -q --no-emit-index-url --no-emit-find-links --strip-extras --allow-unsafe -o requirements/main.txt pyproject.toml
	$(BIN)/pip-compile -q --no-emit-index-url --no-emit-find-links --strip-extras --allow-unsafe --extra dev --extra s3 -c requirements/main.txt -o requirements/dev.txt pyproject.toml

# Extract and compile translations (needs GNU gettext: apt install gettext).
messages: install-dev
	cd src/mpp && ../../$(BIN)/django-admin makemessages -l en --no-obsolete --settings=mpp.config.settings_test
	cd src/mpp && ../../$(BIN)/django-admin compilemessages --settings=mpp.config.settings_test

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Regenerate the committed OpenAPI document (checked by tests/test_openapi_drift.py).
openapi: install-dev
	DJANGO_SETTINGS_MODULE=mpp.config.settings_test $(BIN)/python -c "import django; django.setup(); from tests.test_openapi_drift import render, COMMITTED; COMMITTED.write_text(render(), encoding='utf-8')"

# Benchmarks (not part of make test): search relevance and latency.
# Every benchmark; each prints one summary line with PASS/FAIL against its target at the end.
bench: install-dev
	$(BIN)/python tests/bench/bench_search.py
	$(MAKE) bench-http bench-cases

# Applications on PostgreSQL (BENCH_DATABASE_URL picks the server; databases mpp_bench_* are dropped).
bench-cases: bench-submit bench-tracking

bench-submit: install-dev
	$(BIN)/python tests/bench/bench_submit.py

bench-tracking: install-dev
	$(BIN)/python tests/bench/bench_tracking.py

# Outbox delivery to a receiver on loopback (database mpp_bench_outbox is dropped).
bench-outbox: install-dev
	$(BIN)/python tests/bench/bench_outbox.py

# HTTP throughput of public reads against a hello-world view, same server, same run.
bench-http: install-dev
	$(BIN)/python tests/bench/bench_http.py
