"""The intent classifier: which of the bot's intents a message is, with a confidence.

An n-gram logistic regression (bot/nlu/ngram_model.py) trained on the NLU data. On the patients'
own messages (the development sets of tests/blind/) it was right more often than Rasa's
DIETClassifier on the same data, with the fallback threshold chosen for each (see config.yml), and it
trains in about 35 s instead of about 65 s. `strength` is the logistic regression's C: the less
regularised, the surer it is of the words it has seen, which the fallback threshold relies on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import numpy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.ngram_model import NgramModelComponent, code_fingerprint, ngram_classifier, sentences

# The fewest words of a sentence read on its own (see NgramIntentClassifier._surest_reading).
SENTENCE_WORDS = 3


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class NgramIntentClassifier(NgramModelComponent, IntentClassifier):
    """Predicts the intent of each message, and a ranking of the likeliest intents."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"strength": 100.0, "ranking_length": 10}

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """This module's code (see code_fingerprint)."""
        return code_fingerprint(Path(__file__)).hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        examples = training_data.intent_examples
        return self._fit_and_store(
            (example.get(TEXT) for example in examples),
            (example.get(INTENT) for example in examples),
            ngram_classifier(float(self.config["strength"])),
        )

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            probabilities = self._surest_reading(message.get(TEXT) or "")
            ranking = sorted(
                (
                    {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: float(probability)}
                    for name, probability in zip(self.classifier.classes_, probabilities, strict=True)
                ),
                key=lambda entry: -entry[PREDICTED_CONFIDENCE_KEY],
            )[: self.config["ranking_length"]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def _surest_reading(self, text: str) -> "numpy.ndarray":
        """The intent probabilities of the message or of one of its sentences of at least
        SENTENCE_WORDS words, whichever the model is surest of: a long story's question is often
        one sentence among many, but "ok." before a question says nothing of it."""
        parts = [text] + [part for part in sentences(text)[1:] if len(part.split()) >= SENTENCE_WORDS]
        readings = self.classifier.predict_proba(parts)
        return readings[readings.max(axis=1).argmax()]
