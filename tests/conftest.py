from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.answering import Answerer
from assistant.gazetteer import german_place_names
from assistant.knowledge import KnowledgeBase, load_knowledge_base
from assistant.settings import PROJECT_ROOT

KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base(KNOWLEDGE_DIR, german_place_names())


@pytest.fixture(scope="session")
def answerer(kb: KnowledgeBase) -> Answerer:
    return Answerer(kb)


@pytest.fixture()
def knowledge_copy(tmp_path: Path) -> Path:
    """A private copy of the real knowledge base that a test may break."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target
