"""The unknown-words fallback, trained on real word lists, in a real model storage."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.nlu.unknown_words import UnknownWordsFallback


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[LocalModelStorage, Resource]:
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("storage")))
    resource = Resource("unknown_words")
    context = ExecutionContext(GraphSchema({}), "test")
    component = UnknownWordsFallback.create(UnknownWordsFallback.get_default_config(), storage, resource, context)
    component.train(TrainingData([Message(data={TEXT: "Wann wurde Efus gegründet?", INTENT: "ask_founding"})]))
    return storage, resource


def classified(trained, text: str, intent: str = "goodbye", entities: list | None = None) -> str:
    storage, resource = trained
    component = UnknownWordsFallback.load(UnknownWordsFallback.get_default_config(), storage, resource,
                                          ExecutionContext(GraphSchema({}), "test"))
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.8},
                            INTENT_RANKING_KEY: [{"name": intent, "confidence": 0.8}], ENTITIES: entities or []})
    component.process([message])
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == message.get(INTENT)["name"]
    return message.get(INTENT)["name"]


@pytest.mark.parametrize("text", ["asdfgh jklö", "xqzv bnmk lkjh", "qwrtz"])
def test_keyboard_mash_is_not_understood(trained, text):
    assert classified(trained, text) == "nlu_fallback"


@pytest.mark.parametrize("text", [
    "tschüss", "Wann wurde DEFUS gegrundet?", "What is the seat of Efus?", "efus",  # "efus": training data
    "ok", "Hauptquartier asdfgh",
])
def test_a_message_with_one_known_word_keeps_its_intent(trained, text):
    assert classified(trained, text) == "goodbye"


def test_a_message_with_an_entity_keeps_its_intent(trained):
    entity = {"entity": "city", "value": "Xqzvhausen", "start": 0, "end": 10}
    assert classified(trained, "Xqzvhausen", "ask_membership", [entity]) == "ask_membership"
