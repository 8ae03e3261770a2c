"""The dense featurizer in the Rasa pipeline, on the real model that its package ships."""

from __future__ import annotations

import numpy as np
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.sentence_featurizer import SentenceEncoderFeaturizer


def featurize(*texts: str) -> list[Message]:
    featurizer = SentenceEncoderFeaturizer(SentenceEncoderFeaturizer.get_default_config(), "sentence_encoder")
    return featurizer.process([Message(data={TEXT: text}) for text in texts])


def sentence_vector(message: Message) -> np.ndarray:
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None  # the encoder has no token vectors: entities keep their own features
    return sentence.features


def cosine(first: np.ndarray, second: np.ndarray) -> float:
    return float(first.ravel() @ second.ravel())


def test_each_message_gets_one_normalised_512_dimensional_sentence_vector():
    for message in featurize("Wann wurde Efus gegründet?", "What is the seat of Efus?"):
        vector = sentence_vector(message)
        assert vector.shape == (1, 512)
        assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-3)


def test_the_same_text_always_gets_the_same_vector_alone_or_in_a_batch():
    alone = sentence_vector(featurize("Wo sitzt DEFUS?")[0])
    batched = sentence_vector(featurize("Wer leitet Efus?", "Wo sitzt DEFUS?")[1])
    assert np.allclose(alone, batched, atol=1e-5)
    assert np.allclose(alone, sentence_vector(featurize("Wo sitzt DEFUS?")[0]))


def test_paraphrases_and_translations_are_closer_than_other_questions():
    founded, started, english, seat = (sentence_vector(m) for m in featurize(
        "Wann wurde Efus gegründet?", "Seit wann gibt es Efus?", "When was Efus founded?",
        "Wie viele Mitglieder hat DEFUS?"))
    assert cosine(founded, english) > cosine(founded, seat) + 0.1
    assert cosine(founded, started) > cosine(founded, seat)


def test_an_empty_text_gets_no_features_and_no_error():
    messages = featurize("", "   ", "Hallo")
    assert messages[0].get_dense_features(TEXT) == (None, None)
    assert messages[1].get_dense_features(TEXT) == (None, None)
    assert sentence_vector(messages[2]).shape == (1, 512)
