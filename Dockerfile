# RTM Positionen: one image for web (gunicorn), worker and beat (Celery).
# Build: docker compose build   (see docs/deployment.md)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    RTM_VAR_DIR=/app/var \
    MEDIA_ROOT=/data/media

# An unprivileged user owns only what the app writes: var/ (beat schedule, file cache)
# and the media volume.
RUN groupadd --system --gid 1000 rtm \
    && useradd --system --uid 1000 --gid rtm --home-dir /app --shell /usr/sbin/nologin rtm

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. pyproject.toml installs
# no packages of its own (the apps run from /app), only the pinned dependencies.
COPY pyproject.toml ./
RUN pip install .

COPY . .

# Static files and translations are built into the image; the settings need some
# secret to import with DEBUG off, but nothing built here uses it. Fuzzy translations are
# compiled for the languages whose review is pending (docs/translations.md).
ARG RTM_REVIEW_PENDING_LANGUAGES=ar,fa,uk,ru,tr
RUN SECRET_KEY=build-only-not-a-secret DEBUG=false ALLOWED_HOSTS=localhost \
        python manage.py compiletranslations \
    && SECRET_KEY=build-only-not-a-secret DEBUG=false ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/var /data/media \
    && chown -R rtm:rtm /app/var /data/media

USER rtm
EXPOSE 8000

# The compose file overrides this for the worker and beat containers.
CMD ["gunicorn", "rtm_workflow.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--workers", "3", "--access-logfile", "-", "--forwarded-allow-ips", "*"]
