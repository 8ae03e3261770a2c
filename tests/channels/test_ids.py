"""Server-issued conversation ids: only what this server signed, for this channel, is accepted."""

from __future__ import annotations

import re

import pytest

from assistant.channels.ids import RestSenderIds, SessionIds, loggable

REST_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{22}")


def test_an_issued_rest_id_is_accepted_and_keeps_a_plain_label():
    ids = RestSenderIds("key")
    issued = ids.issue("bench-load-3")
    assert REST_ID.fullmatch(issued) and issued.startswith("bench-load-3.")
    assert ids.is_valid(issued)
    assert ids.issue("bench-load-3") != issued  # a label is no key: every issue is a new id


@pytest.mark.parametrize("label", [None, 42, "", "a b", "demo.1", "x" * 65, "<script>", "ä"])
def test_anything_but_a_plain_label_is_labelled_rest(label):
    issued = RestSenderIds("key").issue(label)
    assert issued.startswith("rest.") and REST_ID.fullmatch(issued)


def test_forged_tampered_and_foreign_ids_are_refused():
    ids, other_key = RestSenderIds("key"), RestSenderIds("another key")
    issued = ids.issue("demo-1")
    label, nonce, signature = issued.split(".")
    socketio_id = SessionIds("key").issue()
    for candidate in ("demo-1", f"{label}.{nonce}", f"{label}.{nonce}.{'A' * 22}", f"other.{nonce}.{signature}",
                      issued.upper(), issued + "x", other_key.issue("demo-1"), socketio_id, f"rest.{socketio_id}",
                      None, 42, ["demo-1"]):
        assert not ids.is_valid(candidate), candidate
    # Nor is a REST id a socket.io session, though both are signed with the same key.
    assert not SessionIds("key").is_valid(issued) and not SessionIds("key").is_valid(f"{nonce}.{signature}")


def test_socketio_session_ids_are_unchanged():
    """Ids the widget stored before the REST ids existed stay valid."""
    import base64
    import hashlib
    import hmac

    nonce = "A" * 24
    digest = hmac.new(b"key", b"socketio-session:" + nonce.encode(), hashlib.sha256).digest()
    assert SessionIds("key").is_valid(f"{nonce}.{base64.urlsafe_b64encode(digest).decode()[:22]}")


def test_a_logged_id_never_shows_its_signature():
    issued = RestSenderIds("key").issue("demo-1")
    assert loggable(issued) == issued.rsplit(".", 1)[0] + ".…"
    assert issued.rsplit(".", 1)[1] not in loggable(issued)
    assert loggable("plain") == "…"
