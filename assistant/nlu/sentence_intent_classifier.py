"""A Rasa intent classifier: a linear model over the sentence embedding and TF-IDF n-grams.

DIET learns from our ~1,300 examples alone and, at the epochs our training budget allows, makes
little use of the pretrained sentence embedding: 5-fold cross-validation gave 0.72 with and
without it. A logistic regression over the same embedding (SentenceEncoderFeaturizer) beside
TF-IDF-weighted word and character n-grams of the text gives 0.845 on the same folds, trains in
seconds and answers in well under a millisecond (docs/benchmarks.md). So this step decides the
intent; DIET stays in the pipeline for the entities only.

The n-grams are weighted here rather than taken from CountVectorsFeaturizer: sublinear TF-IDF
over the training texts is what was measured, and raw counts let long messages dominate.

A message with a story before its question ("Ich wohne seit 20 Jahren in unserer Stadt. Was ist
eigentlich Efus?") is classified twice, whole and by its last question alone, and the two
distributions are averaged: the story's words alone pulled such messages to the city's role or
to "out of scope", while a question that needs its context ("Ich möchte mit jemandem sprechen.
Geht das?") keeps what the whole message says.
"""

from __future__ import annotations

import re
from typing import Any

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from assistant.input_guard import last_question
from assistant.nlu.sentence_featurizer import SentenceEncoderFeaturizer
from assistant.understanding import encoder
from assistant.understanding.encoder import DIMENSIONS

_FILE = "sentence_intent_classifier.joblib"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceIntentClassifier(GraphComponent, IntentClassifier):
    """Predicts the intent and its ranking from the embedding and the text's n-grams."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "char_ngrams": [2, 4],
            "word_ngrams": [1, 2],
            # The embedding's rows have length 1, a TF-IDF row too; weight 2 let the embedding
            # count for more than one n-gram family (CV: 0.846 against 0.842 at weight 1).
            "embedding_weight": 2.0,
            # Inverse regularisation strength; 10 and 30 were equal in accuracy, 30 gives firmer
            # confidences, so fewer right answers fall under the fallback threshold.
            "C": 30.0,
            "ranking_length": 10,
            # Intents that never start with a question word: "und was sind heute die
            # schwerpunkte" is not a goodbye, whatever its few words resemble. Such a message
            # gets the first other intent of the ranking.
            "not_questions": ["greet", "goodbye", "thanks"],
        }

    @classmethod
    def required_components(cls) -> list[type]:
        return [SentenceEncoderFeaturizer]

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: dict[str, Any] | None = None) -> None:
        self.config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SentenceIntentClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> SentenceIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / _FILE)
        except ValueError:  # nothing was trained (no intent examples)
            model = None
        return cls(config, model_storage, resource, model)

    # -- features ----------------------------------------------------------------------------

    def _features(self, messages: list[Message], vectorizers: list[TfidfVectorizer]):
        texts = [message.get(TEXT) or "" for message in messages]
        return self._text_features(texts, np.vstack([self._embedding(message) for message in messages]), vectorizers)

    def _text_features(self, texts: list[str], embeddings: np.ndarray, vectorizers: list[TfidfVectorizer]):
        parts = [vectorizer.transform(texts) for vectorizer in vectorizers]
        return hstack([*parts, csr_matrix(embeddings * self.config["embedding_weight"])]).tocsr()

    @staticmethod
    def _embedding(message: Message) -> np.ndarray:
        _, sentence = message.get_dense_features(TEXT)
        if sentence is None:
            return np.zeros(DIMENSIONS, dtype=np.float32)
        return np.asarray(sentence.features).reshape(-1)

    # -- training and prediction ---------------------------------------------------------------

    def train(self, training_data: TrainingData) -> Resource:
        examples = [example for example in training_data.intent_examples if example.get(TEXT)]
        labels = [example.get(INTENT) for example in examples]
        if len(set(labels)) < 2:
            return self._resource
        texts = [example.get(TEXT) for example in examples]
        vectorizers = [
            TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.config["char_ngrams"]), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=tuple(self.config["word_ngrams"]), sublinear_tf=True),
        ]
        for vectorizer in vectorizers:
            vectorizer.fit(texts)
        classifier = LogisticRegression(C=self.config["C"], max_iter=5000)
        classifier.fit(self._features(examples, vectorizers), labels)
        self._model = {"vectorizers": vectorizers, "classifier": classifier}
        with self._storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / _FILE)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        with_text = [message for message in messages if message.get(TEXT)]
        if self._model is None or not with_text:
            return messages
        classifier: LogisticRegression = self._model["classifier"]
        vectorizers = self._model["vectorizers"]
        probabilities = classifier.predict_proba(self._features(with_text, vectorizers))
        questions = {index: question for index, message in enumerate(with_text)
                     if (question := _question_after_story(message.get(TEXT)))}
        if questions:
            texts = list(questions.values())
            alone = classifier.predict_proba(self._text_features(texts, encoder.encode(texts), vectorizers))
            for index, row in zip(questions, alone, strict=True):
                probabilities[index] = (probabilities[index] + row) / 2
        length = self.config["ranking_length"]
        for message, row in zip(with_text, probabilities, strict=True):
            order = np.argsort(row)[::-1][:length]
            ranking = [{INTENT_NAME_KEY: str(classifier.classes_[i]), "confidence": float(row[i])}
                       for i in order]
            if _QUESTION_WORD.match(message.get(TEXT)):
                ranking = _questions_first(ranking, set(self.config["not_questions"]))
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


# A message that starts (after "und", "aber" …) with a question word asks something.
_QUESTION_WORD = re.compile(r"^\W*(?:(?:und|aber|also|ok|okay|ach|noch)\W+)*(?:was|wer|wen|wem|wessen|wie|wo|wann|"
                            r"warum|wieso|weshalb|welche[mnrs]?|wor\w+|wof\w+|woz\w+|woh\w+|wom\w+|woran)\b",
                            re.IGNORECASE)


def _questions_first(ranking: list[dict[str, Any]], not_questions: set[str]) -> list[dict[str, Any]]:
    """The ranking with an intent that is never a question moved behind the first that can be."""
    if not ranking or ranking[0][INTENT_NAME_KEY] not in not_questions:
        return ranking
    position = next((index for index, entry in enumerate(ranking) if entry[INTENT_NAME_KEY] not in not_questions),
                    None)
    if position is None:
        return ranking
    return [ranking[position], *(entry for index, entry in enumerate(ranking) if index != position)]


def _question_after_story(text: str) -> str | None:
    """The last question of a message that has other sentences before it; else None."""
    question = last_question(text, len(text))
    return question if question and question != text.strip() else None
