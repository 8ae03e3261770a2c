"""The knowledge base and answerer the actions share, loaded once per action-server process."""

from __future__ import annotations

from functools import lru_cache

from assistant.answering import Answerer
from assistant.gazetteer import german_place_names
from assistant.knowledge import KnowledgeBase, load_knowledge_base
from assistant.settings import get_settings


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    # Facts are read at run time, so an editor's change needs a restart of the action server,
    # not a retrained model.
    return load_knowledge_base(get_settings().knowledge_dir, german_place_names())


@lru_cache(maxsize=1)
def answerer() -> Answerer:
    return Answerer(knowledge_base())
