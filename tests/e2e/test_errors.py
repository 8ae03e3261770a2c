"""Every error of our servers is German JSON {"error": "…"} (assistant/errors.py on the Rasa
server, assistant/web/middlewares.py on the web app), and no `Server` header names a version.
Against the real servers, as `make run` starts them."""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import pytest

from assistant.stack import Stack

pytestmark = pytest.mark.servers

GERMAN = re.compile(r"[äöüß]|\b(?:Die|Diese|Bitte|Anfrage|ist|nicht)\b")


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
          method: str | None = None) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, reply.headers, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def german_error(headers: Any, body: bytes) -> str:
    """The German text of a German JSON error; fails for anything else."""
    assert headers.get("Content-Type", "").startswith("application/json"), headers
    parsed = json.loads(body)
    assert isinstance(parsed, dict) and set(parsed) == {"error"}, parsed
    assert GERMAN.search(parsed["error"]), parsed
    return parsed["error"]


def raw_request(url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes no HTTP client library would send; the reply's status, headers and body."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), headers, body


# -- the Rasa server -----------------------------------------------------------------------------


def rsa_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize("algorithm", ["none", "RS256", "HS512", "HS384"])
def test_a_jwt_with_another_algorithm_is_a_german_401(stack: Stack, algorithm: str):
    import jwt

    claims = {"user": {"username": "agent", "role": "admin"}}
    # HS512/HS384 with the real secret: the right key, but not the algorithm the server uses.
    key = {"none": None, "RS256": rsa_key()}.get(algorithm, stack.settings.rasa_jwt_secret())
    token = jwt.encode(claims, key, algorithm=algorithm)
    status, headers, body = fetch(f"{stack.settings.rasa_url}/conversations/someone/tracker",
                                  headers={"Authorization": f"Bearer {token}"})
    assert status == 401
    assert "Anmeldung" in german_error(headers, body)


@pytest.mark.parametrize("token", ["", "abc", "abc.def.ghi"])
def test_a_malformed_jwt_is_a_german_401(stack: Stack, token: str):
    status, headers, body = fetch(f"{stack.settings.rasa_url}/conversations/someone/tracker",
                                  headers={"Authorization": f"Bearer {token}"})
    assert status == 401
    german_error(headers, body)


def test_a_rest_body_over_64_kb_is_a_german_413(stack: Stack):
    body = json.dumps({"message": "Wann wurde DEFUS gegründet? " * 3000}).encode()
    assert len(body) > 64 * 1024
    status, headers, reply = fetch(f"{stack.settings.rasa_url}/webhooks/rest/webhook", data=body,
                                   headers={"Content-Type": "application/json"})
    assert status == 413
    assert "64 KB" in german_error(headers, reply)


def test_get_on_the_rest_webhook_is_a_german_405(stack: Stack):
    status, headers, body = fetch(f"{stack.settings.rasa_url}/webhooks/rest/webhook")
    assert status == 405 and headers["Allow"] == "POST"
    assert "POST" in german_error(headers, body)


def test_an_unknown_address_on_the_rasa_server_is_a_german_404(stack: Stack):
    status, headers, body = fetch(f"{stack.settings.rasa_url}/gibt-es-nicht")
    assert status == 404
    german_error(headers, body)


def test_a_header_over_8_kb_on_the_rasa_server_is_a_german_error(stack: Stack):
    status, headers, body = fetch(f"{stack.settings.rasa_url}/webhooks/rest/", headers={"X-Big": "a" * 9000})
    assert status == 431
    assert "Kopfzeilen" in german_error(headers, body)


def test_the_rasa_server_names_no_version(stack: Stack):
    for url in (f"{stack.settings.rasa_url}/webhooks/rest/", f"{stack.settings.rasa_url}/gibt-es-nicht"):
        _, headers, _ = fetch(url)
        assert not re.search(r"\d|python|sanic", headers.get("Server", ""), re.IGNORECASE), headers.get("Server")


# -- the web app ---------------------------------------------------------------------------------


def test_a_header_over_8_kb_on_the_web_app_is_a_german_431(stack: Stack):
    status, headers, body = fetch(f"{stack.settings.web_url}/", headers={"X-Big": "a" * 9000})
    assert status == 431
    assert "Kopfzeilen" in german_error(headers, body)
    assert headers["Server"] == "Bochum-Assistent"


def test_a_malformed_request_on_the_web_app_is_a_german_400(stack: Stack):
    status, headers, body = raw_request(stack.settings.web_url, b"NONSENSE\r\n\r\n")
    assert status == 400
    german_error(headers, body)
    assert headers["Server"] == "Bochum-Assistent"


def test_a_method_the_web_app_does_not_take_is_a_german_405(stack: Stack):
    status, headers, body = fetch(f"{stack.settings.web_url}/", data=b"x=1", method="POST")
    assert status == 405
    german_error(headers, body)


def test_a_body_over_64_kb_on_the_web_app_is_a_german_413(stack: Stack):
    big = b'{"text": "' + b"a" * 70_000 + b'"}'
    status, headers, body = fetch(f"{stack.settings.web_url}/api/v1/preview", data=big,
                                  headers={"Content-Type": "application/json",
                                           "Authorization": f"Bearer {stack.settings.agent_token()}"})
    assert status == 413
    german_error(headers, body)


def test_the_web_app_names_no_version(stack: Stack):
    web = stack.settings.web_url
    for path in ("/", "/health", "/widget/v1/widget.js", "/static/site.css", "/gibt-es-nicht", "/api/v1/session"):
        _, headers, _ = fetch(f"{web}{path}")
        assert headers["Server"] == "Bochum-Assistent", (path, headers["Server"])


def test_the_citizen_page_takes_its_addresses_from_the_settings_and_may_be_cached(stack: Stack):
    status, headers, body = fetch(f"{stack.settings.web_url}/", headers={"Host": "evil.example"})
    page = body.decode()
    assert status == 200 and "evil.example" not in page
    assert f'<script src="{stack.settings.widget_base_url}/widget/v1/widget.js"' in page
    assert headers["Cache-Control"] == "no-cache"
