# srs-crss as a cohort server (docs/cohort.md): a small image with the PostgreSQL
# driver. Build:  docker build -t srs-crss .
# The container runs as an unprivileged user and keeps nothing inside itself: the
# data lives in PostgreSQL (SRS_CRSS_DB), so the image can be replaced at any time.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY decks ./decks
RUN pip install ".[postgres]" && rm -rf /src

RUN useradd --system --create-home --home-dir /home/srs srs
USER srs
WORKDIR /home/srs

# SRS_CRSS_DB (the server's role) and SRS_CRSS_OWNER_DB (the tables' owner, for the
# schema upgrade) come from the environment: never bake a password into an image.
COPY --chown=srs scripts/cohort-start.sh /usr/local/bin/cohort-start
EXPOSE 8370
ENTRYPOINT ["/usr/local/bin/cohort-start"]
