"""A Rasa intent classifier step: a message without a single known word is not understood.

With pretrained sentence embeddings DIET finds *some* meaning even in keyboard mash: "asdfgh
jklö" lands next to "tschüss" with 0.76 confidence. A citizen who typed that should read
"nicht verstanden", not a goodbye. So after the fallback classifier, a message none of whose
words is known — to a German or English word list, to the training data, or as an entity — is
turned into `nlu_fallback`, the way Rasa's own FallbackClassifier does it.

The word lists are the lexeme tables of `spacy-lookups-data` (about a million word forms per
language, from its corpus counts), read once at training time and stored with the model as 64-bit
hashes, so the server loads 8 MB instead of parsing the tables.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from importlib import resources
from typing import Any, Iterable

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

_LETTERS = re.compile(r"[^\W\d_]+")
_FILE = "known_words.npy"
# Words this short are often abbreviations or typos of short words; they decide nothing.
_MIN_LENGTH = 3


def word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.casefold().encode("utf-8"), digest_size=8).digest(), "little")


def lexicon_words(language: str) -> Iterable[str]:
    """The word forms of spacy-lookups-data's lexeme table for a language."""
    table = resources.files("spacy_lookups_data").joinpath("data", f"{language}_lexeme_prob.json.gz")
    with table.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        yield from json.load(text)


def significant_words(text: str) -> list[str]:
    return [word.casefold() for word in _LETTERS.findall(text) if len(word) >= _MIN_LENGTH]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UnknownWordsFallback(GraphComponent, IntentClassifier):
    """Predicts `nlu_fallback` for a message in which no word is known."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"languages": ["de", "en"]}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 known: np.ndarray | None = None) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._known = known if known is not None else np.empty(0, dtype=np.uint64)

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> UnknownWordsFallback:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> UnknownWordsFallback:
        with model_storage.read_from(resource) as directory:
            known = np.load(directory / _FILE)
        return cls(config, model_storage, resource, known)

    def train(self, training_data: TrainingData) -> Resource:
        words = {word for language in self._config["languages"] for word in lexicon_words(language)}
        words.update(word for example in training_data.training_examples
                     for word in significant_words(example.get(TEXT) or ""))
        known = np.unique(np.fromiter((word_hash(word) for word in words), dtype=np.uint64, count=len(words)))
        with self._storage.write_to(self._resource) as directory:
            np.save(directory / _FILE, known)
        self._known = known
        return self._resource

    def knows(self, word: str) -> bool:
        key = np.uint64(word_hash(word))
        index = int(np.searchsorted(self._known, key))
        return index < len(self._known) and self._known[index] == key

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if intent == DEFAULT_NLU_FALLBACK_INTENT_NAME or message.get(ENTITIES):
                continue
            words = significant_words(message.get(TEXT) or "")
            if words and not any(self.knows(word) for word in words):
                fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [fallback, *(message.get(INTENT_RANKING_KEY) or [])],
                            add_to_output=True)
        return messages
