"""Runs Rasa's own server (channels and HTTP API) with this project's settings.

Started instead of `rasa run` so that the JWT secret comes from the environment and never
appears on a command line, the HTTP API is never open without it, and CORS is limited to the
configured origins.
"""

from __future__ import annotations

import logging

from assistant.settings import PROJECT_ROOT, Settings

JWT_METHOD = "HS256"


def serve(settings: Settings, model: str) -> None:
    from rasa.core.run import serve_application
    from rasa.core.utils import AvailableEndpoints

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s - %(message)s")
    endpoints = AvailableEndpoints.read_endpoints(str(PROJECT_ROOT / "endpoints.yml"))
    serve_application(
        model_path=model,
        credentials=str(PROJECT_ROOT / "credentials.yml"),
        interface=settings.host,
        port=settings.rasa_port,
        cors=list(settings.origins),
        enable_api=True,
        jwt_secret=settings.rasa_jwt_secret(),
        jwt_method=JWT_METHOD,
        endpoints=endpoints,
    )
