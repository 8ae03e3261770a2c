"""A Rasa dense featurizer: each message's sentence embedding from the pretrained encoder.

DIET sees these 512 dense features beside the sparse word and character n-gram counts, so it
generalises from what the encoder learned of many languages, not only from the words of our
training examples ("Wer stand am Anfang von Efus?" is close to "Wer hat Efus gegründet?").
Only sentence-level features are set: the encoder has no token vectors, and entities are found
by the sparse and lexical features as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.understanding import encoder


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the Universal Sentence Encoder (multilingual) embedding of each message's text."""

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SentenceEncoderFeaturizer:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to configure: the model is the one the package ships."""

    def process(self, messages: list[Message]) -> list[Message]:
        # One batch: the encoder streams its weights once per batch, not once per message.
        texts = [message.get(TEXT) for message in messages]
        with_text = [index for index, text in enumerate(texts) if isinstance(text, str) and text.strip()]
        if not with_text:
            return messages
        vectors = encoder.encode([texts[index] for index in with_text])
        for index, vector in zip(with_text, vectors, strict=True):
            messages[index].add_features(
                Features(np.expand_dims(vector, 0), FEATURE_TYPE_SENTENCE, TEXT, self._identifier))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
