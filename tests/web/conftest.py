"""Fixtures of the web app tests: the app in-process (pytest-aiohttp), with or without the real
Rasa server behind it."""

from __future__ import annotations

from dataclasses import replace

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient

from assistant.knowledge import KnowledgeBase
from assistant.settings import Settings, get_settings
from assistant.stack import Stack
from assistant.web import create_app
from tests.conftest import free_port


@pytest.fixture(scope="session")
def offline_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose Rasa server does not exist: for what needs only the knowledge base."""
    return replace(get_settings(), host="127.0.0.1", rasa_port=free_port(), web_port=free_port(),
                   var_dir=tmp_path_factory.mktemp("web-var"), allowed_origins=(), tracker_db=None,
                   tracker_store_url="")


@pytest_asyncio.fixture()
async def client(aiohttp_client, offline_settings: Settings, kb: KnowledgeBase) -> TestClient:
    return await aiohttp_client(create_app(offline_settings, kb=kb))


@pytest_asyncio.fixture()
async def live_client(aiohttp_client, stack: Stack, kb: KnowledgeBase) -> TestClient:
    """The app in-process, talking to the real Rasa server and tracker store of `stack`."""
    return await aiohttp_client(create_app(stack.settings, kb=kb))


def bearer(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.agent_token()}"}
