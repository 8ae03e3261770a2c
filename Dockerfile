# One image for every service (Rasa server, action server, web app), built from the same lock
# files as `make`. The model is trained during the build, so a container never downloads anything.

# Browser assets of the web app, exactly as package-lock.json pins them.
FROM node:20.18.1-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

FROM python:3.10.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    ASSISTANT_VAR_DIR=/app/var

WORKDIR /app

COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

COPY pyproject.toml ./
COPY assistant/ assistant/
COPY actions/ actions/
# Editable, so the project root (data, credentials, endpoints) is /app.
RUN pip install --no-deps --no-build-isolation -e .

COPY --from=assets /app/node_modules/ node_modules/
COPY config.yml domain.yml credentials.yml endpoints.yml endpoints-scaled.yml ./
COPY data/ data/
RUN python -m assistant prepare \
    && rasa train --config config.yml --domain domain.yml --data data/nlu data/stories \
       --out models --fixed-model-name assistant

RUN useradd --create-home --uid 10001 assistant \
    && mkdir -p /app/var \
    && chown assistant /app/var
USER 10001

EXPOSE 5005 8080
# Default: the Rasa server. The action server and the web app run from the same image
# (see docker-compose.yml).
CMD ["python", "-m", "assistant", "rasa-server", "--model", "models/assistant.tar.gz"]
