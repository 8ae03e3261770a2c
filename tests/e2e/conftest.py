"""Fixtures of the end-to-end tests. The servers themselves (`stack`, `post`) live in
tests/conftest.py, so the editors' CLI tests (tests/cli) share the same running servers."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from assistant.stack import Stack
from tests.conftest import Post, free_port

__all__ = ["Post", "free_port", "tracker_db"]


@pytest.fixture(scope="session")
def ask(post: Post) -> Callable[[str, str], str]:
    def say(sender: str, message: str) -> str:
        status, replies = post({"sender": sender, "message": message})
        assert status == 200, replies
        assert replies, f"no reply to {message!r}"
        return "\n".join(reply.get("text", "") for reply in replies)

    return say


def tracker_db(stack: Stack) -> Path:
    return stack.settings.var_dir / "tracker.db"
