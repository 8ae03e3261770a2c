"""`python -m bench.parse_server MODEL PORT`: Rasa's HTTP API with nothing else, for the NLU floor.

What `rasa run --enable-api` starts (no channels, an in-memory tracker store), but with the JWT
secret taken from the environment (BENCH_PARSE_JWT_SECRET), never from the command line, as
SECURITY.md requires of every server of this project.
"""

from __future__ import annotations

import logging
import os
import sys

from bench.procs import LOOPBACK

SECRET_VARIABLE = "BENCH_PARSE_JWT_SECRET"  # noqa: S105 - the name of the variable


def main() -> None:
    model, port = sys.argv[1], int(sys.argv[2])
    from rasa.core.run import serve_application
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.log_utils import configure_structlog

    # At INFO, as the assistant's own Rasa server logs (assistant/server.py): the floor should not
    # pay for debug logging the measured server does not do.
    logging.basicConfig(level=logging.INFO)
    configure_structlog(logging.INFO)
    serve_application(model_path=model, interface=LOOPBACK, port=port, enable_api=True,
                      jwt_secret=os.environ[SECRET_VARIABLE], jwt_method="HS256",
                      endpoints=AvailableEndpoints())


if __name__ == "__main__":
    main()
