# briefbot in a container: a non-root user, the database on the /data volume.
#   docker build -t briefbot .
#   docker run -d --name briefbot --env-file .env -v briefbot-data:/data briefbot
# `docker stop` sends SIGTERM: the bot stops taking updates, finishes the one in flight,
# closes the database and exits 0 well within docker's 10 s grace period.
# Any image with Python 3.11+ and pip on PATH as python/pip; python:3.11-slim by default.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    BRIEFBOT_DATABASE=/data/briefbot.sqlite3 \
    BRIEFBOT_HEALTH_LISTEN=0.0.0.0 \
    BRIEFBOT_HEALTH_PORT=8080 \
    BRIEFBOT_WEBHOOK_LISTEN=0.0.0.0

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY briefing ./briefing
RUN pip install . \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin briefbot \
    && mkdir /data && chown briefbot /data

USER briefbot
VOLUME /data
# 8080: /healthz; 8443: the webhook, when BRIEFBOT_WEBHOOK_URL is set.
EXPOSE 8080 8443
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
CMD ["briefbot", "run"]
