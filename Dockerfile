# Production image: the portal with WeasyPrint's libraries and a CJK font.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORTAL_VAR_DIR=/var/lib/portal

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Runtime packages only: the development lock (tests, linters, type checker) stays out.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .
RUN SECRET_KEY=build-only-not-secret ALLOWED_HOSTS=build python manage.py compilemessages --ignore=.venv -v0 \
 && SECRET_KEY=build-only-not-secret ALLOWED_HOSTS=build python manage.py collectstatic --no-input -v0 \
 && useradd --system --home /app portal \
 && mkdir -p /var/lib/portal/uploads \
 && chown -R portal /var/lib/portal

USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
