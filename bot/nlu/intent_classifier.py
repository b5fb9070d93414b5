"""The intent classifier: which of the bot's intents a message is, with a confidence.

An n-gram logistic regression (bot/nlu/ngram_model.py) trained on the NLU data. On the patients'
own messages (the development sets of tests/blind/) it was right more often than Rasa's
DIETClassifier on the same data, with the fallback threshold chosen for each (see config.yml), and it
trains in about 35 s instead of about 65 s. `strength` is the logistic regression's C: the less
regularised, the surer it is of the words it has seen, which the fallback threshold relies on.

A message that joins two topics or questions ("drinking problem and back pain, can it help either",
"does it reduce anxiety, and is it on the NHS") is one intent to Rasa, and the model's ranking
gives the second topic little weight. So each clause of a short message is read on its own too,
and each clause read with at least `clause_confidence` is passed on as a `clause_intent` entity:
the answer actions (actions/conditions.py) answer every topic and decline every question so named.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import glossary
from bot.nlu.ngram_model import NgramModelComponent, code_fingerprint, ngram_classifier, sentences

# The fewest words of a sentence read on its own (see NgramIntentClassifier._surest_reading).
SENTENCE_WORDS = 3
# The entity naming what one clause of a message asks (an intent), and what joins two clauses: a
# sign, "and", "or", "plus", a texting "n", "also", "both" or "either" (a comma or a full stop does
# not: "my knee pain is worse alongside the depression, any mention of pain?" asks about pain).
CLAUSE_INTENT = "clause_intent"
_JOINT = re.compile(r"\s*(?:[+&/]|\b(?:and|or|plus|n|also|both|either)\b)\s*", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{3,}")


def clause_spans(text: str) -> List[Tuple[int, int]]:
    """(start, end) of each clause of the text with a word of three letters or more in it."""
    bounds = [0, *(point for joint in _JOINT.finditer(text) for point in joint.span()), len(text)]
    spans = list(zip(bounds[::2], bounds[1::2], strict=True))
    return [(start, end) for start, end in spans if _WORD.search(text[start:end])]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class NgramIntentClassifier(NgramModelComponent, IntentClassifier):
    """Predicts the intent of each message, and a ranking of the likeliest intents."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"strength": 100.0, "ranking_length": 10, "clause_confidence": 0.7, "clause_max_words": 30}

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """This module's code and the glossary's code and data (see code_fingerprint)."""
        return code_fingerprint(Path(__file__), Path(glossary.__file__), glossary.GLOSSARY_FILE).hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        examples = training_data.intent_examples
        return self._fit_and_store(
            (example.get(TEXT) for example in examples),
            (example.get(INTENT) for example in examples),
            ngram_classifier(float(self.config["strength"]), read_as_english=True),
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
            clauses = self._clause_intents(message.get(TEXT) or "")
            if clauses:
                message.set(ENTITIES, message.get(ENTITIES, []) + clauses, add_to_output=True)
        return messages

    def _clause_intents(self, text: str) -> List[Dict[Text, Any]]:
        """A `clause_intent` entity for each clause the model reads with at least
        `clause_confidence`, when the message has two clauses or more and at most
        `clause_max_words` words (a long story's clauses are not questions of their own)."""
        spans = clause_spans(text)
        if len(spans) < 2 or len(text.split()) > self.config["clause_max_words"]:
            return []
        readings = self.classifier.predict_proba([text[start:end] for start, end in spans])
        return [
            {
                ENTITY_ATTRIBUTE_TYPE: CLAUSE_INTENT,
                ENTITY_ATTRIBUTE_VALUE: str(self.classifier.classes_[reading.argmax()]),
                ENTITY_ATTRIBUTE_START: start,
                ENTITY_ATTRIBUTE_END: end,
                EXTRACTOR: type(self).__name__,
            }
            for (start, end), reading in zip(spans, readings, strict=True)
            if reading.max() >= self.config["clause_confidence"]
        ]

    def _surest_reading(self, text: str) -> "numpy.ndarray":
        """The intent probabilities of the message or of one of its sentences of at least
        SENTENCE_WORDS words, whichever the model is surest of: a long story's question is often
        one sentence among many, but "ok." before a question says nothing of it."""
        parts = [text] + [part for part in sentences(text)[1:] if len(part.split()) >= SENTENCE_WORDS]
        readings = self.classifier.predict_proba(parts)
        return readings[readings.max(axis=1).argmax()]
