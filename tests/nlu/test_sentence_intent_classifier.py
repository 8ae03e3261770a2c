"""The intent classifier over sentence embeddings and n-grams, trained on the real NLU data with
the real bundled encoder, saved to and loaded from a real model storage."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.sentence_featurizer import SentenceEncoderFeaturizer
from assistant.nlu.sentence_intent_classifier import SentenceIntentClassifier
from assistant.settings import PROJECT_ROOT

CONFIG = SentenceIntentClassifier.get_default_config()


@pytest.fixture(scope="module")
def featurizer() -> SentenceEncoderFeaturizer:
    return SentenceEncoderFeaturizer(SentenceEncoderFeaturizer.get_default_config(), "encoder")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, featurizer) -> SentenceIntentClassifier:
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("storage")))
    resource = Resource("intents")
    context = ExecutionContext(GraphSchema({}), "test")
    data = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    featurizer.process_training_data(data)
    SentenceIntentClassifier.create(CONFIG, storage, resource, context).train(data)
    # What the server does: a fresh instance from the stored model, not the trained object.
    return SentenceIntentClassifier.load(CONFIG, storage, resource, context)


def classify(loaded, featurizer, text: str) -> Message:
    message = Message(data={TEXT: text})
    featurizer.process([message])
    loaded.process([message])
    return message


@pytest.mark.parametrize("text, intent", [
    # Wordings that are not training examples.
    ("Wer stand am Anfang von Efus?", "ask_founding"),
    ("Wo hat DEFUS seine Zentrale?", "ask_seat"),
    ("Wie viele Städte machen bei Efus mit?", "ask_members"),
    ("What is the seat of Efus?", "ask_seat"),
    ("Tschüss und danke!", "goodbye"),
])
def test_unseen_wordings_get_their_intent(loaded, featurizer, text: str, intent: str):
    message = classify(loaded, featurizer, text)
    ranking = [entry["name"] for entry in message.get(INTENT_RANKING_KEY)]
    assert message.get(INTENT)["name"] == intent, ranking[:3]


def test_ranking_is_a_distribution_sorted_by_confidence(loaded, featurizer):
    message = classify(loaded, featurizer, "Wann wurde DEFUS gegründet?")
    confidences = [entry["confidence"] for entry in message.get(INTENT_RANKING_KEY)]
    assert len(confidences) == CONFIG["ranking_length"]
    assert confidences == sorted(confidences, reverse=True)
    assert 0 < sum(confidences) <= 1.0 + 1e-6
    assert message.get(INTENT)["confidence"] == confidences[0]


def test_the_same_text_gets_the_same_answer(loaded, featurizer):
    first = classify(loaded, featurizer, "Welche Themen hat Efus?").get(INTENT_RANKING_KEY)
    second = classify(loaded, featurizer, "Welche Themen hat Efus?").get(INTENT_RANKING_KEY)
    assert first == second


def test_a_message_without_text_is_left_alone(loaded, featurizer):
    message = classify(loaded, featurizer, "")
    assert message.get(INTENT) is None


@pytest.mark.parametrize("text", ["und was sind heute die schwerpunkte", "und worüber wurde da geredet"])
def test_a_message_that_starts_with_a_question_word_is_never_a_goodbye_or_greeting(loaded, featurizer, text: str):
    intent = classify(loaded, featurizer, text).get(INTENT)["name"]
    assert intent not in CONFIG["not_questions"], intent
