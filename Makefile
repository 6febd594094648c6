# RTM Positionen. The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
LOCAL_ENV := DEBUG=true

.PHONY: run test bench mutate faults scale-test lint format messages install clean-var

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	test -f .env.local || printf '# Local development only (never in production images).\nDEBUG=true\n' > .env.local
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	mkdir -p var
	$(LOCAL_ENV) $(PY) manage.py compiletranslations
	$(LOCAL_ENV) $(PY) manage.py migrate --noinput
	$(LOCAL_ENV) $(PY) manage.py seed_demo
	$(LOCAL_ENV) $(PY) manage.py rundev

test: $(STAMP)
	$(PY) manage.py compiletranslations --settings=rtm_workflow.settings_test
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks (docs/benchmarks.md): load from `wrk` (apt-get install wrk; a module says
# "skipped" without it); PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set (a
# database <name>_bench is made afresh beside yours), SQLite otherwise. Not run in CI.
bench: $(STAMP)
	$(LOCAL_ENV) $(PY) -m bench $(BENCH_ARGS)

# Mutation testing of the rules that must not drift (docs/mutation.md): minutes, one
# worker, SQLite; prints the surviving mutants and fails if the score falls.
mutate: $(STAMP)
	$(PY) manage.py compiletranslations --settings=rtm_workflow.settings_test
	$(PY) -m tests.mutation $(MUTATE_ARGS)

# The fault drill (docs/reliability.md), not part of `make test`: its own PostgreSQL cluster,
# Redis and SMTP server on free ports; each scenario of issue 21 with its figures. A minute
# or two; needs PostgreSQL's server binaries and redis-server. Records the run in the doc.
faults: $(STAMP)
	$(PY) -m tests.faults --record $(FAULTS_ARGS)

# More than one server, shown (docs/deployment.md): hosts in Linux network namespaces
# (root), HAProxy, two web hosts, two workers, beat, a PostgreSQL primary with a
# streaming replica and Redis, all its own. Not part of `make test`; .ci/run calls it
# after the suite. Two to three minutes.
scale-test: $(STAMP)
	$(PY) manage.py compiletranslations --settings=rtm_workflow.settings_test
	$(PY) -m tests.scale

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Refresh the .po catalogues after changing strings (needs GNU gettext's xgettext).
messages: $(STAMP)
	for app in core accounts statements workflow discussion voting notifications public; do \
	  (cd $$app && $(LOCAL_ENV) ../$(PY) ../manage.py makemessages -l de -l en -l ar -l fa -l uk -l ru -l tr --no-obsolete) ; done
	$(LOCAL_ENV) $(PY) manage.py makemessages -l de -l en -l ar -l fa -l uk -l ru -l tr --no-obsolete --ignore='*/*' --ignore=.venv
