# One image for both services (Rasa server and action server), built from the same lock file
# as `make`. The model is trained during the build, so a container never downloads anything.
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
RUN pip install --no-deps --no-build-isolation .

COPY config.yml domain.yml credentials.yml endpoints.yml ./
COPY data/ data/
RUN python -m assistant prepare \
    && rasa train --config config.yml --domain domain.yml --data data/nlu data/stories \
       --out models --fixed-model-name assistant

RUN useradd --create-home --uid 10001 assistant \
    && mkdir -p /app/var \
    && chown assistant /app/var
USER 10001

EXPOSE 5005
# Default: the Rasa server. The action server runs from the same image (see docker-compose.yml).
CMD ["rasa", "run", "--model", "models/assistant.tar.gz", "--credentials", "credentials.yml", \
     "--endpoints", "endpoints.yml", "--port", "5005"]
