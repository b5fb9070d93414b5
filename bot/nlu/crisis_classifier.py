"""A learned second opinion on crisis language, read sentence by sentence.

The patterns of data/safety/crisis_patterns.yml catch the phrasings someone thought of; people in
crisis keep finding others ("i keep a blade in my pencil case", "the SI is back and its loud"),
and they often bury the one sentence that matters in a long message about something else. This
component learns from the examples of data/safety/crisis_examples.yml, together with the NLU
training data (the `crisis` intent's examples against every other intent's but the help
requests'), and gives each
message a `crisis_score`: the highest probability of crisis over the whole message and each of
its sentences. The crisis guard (bot/nlu/crisis_guard.py) turns that score into the crisis reply or a
check-in; this component never changes the intent itself.

Word and character n-grams (the latter for misspellings such as "suicidle" or "myslef") feed a
logistic regression (bot/nlu/ngram_model.py), trained with the model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.pipeline import Pipeline

from bot import PROJECT_ROOT
from bot.nlu.ngram_model import NgramModelComponent, code_fingerprint, ngram_classifier, sentences

CRISIS_SCORE = "crisis_score"


def new_classifier() -> Pipeline:
    """Balanced between the two sides: far more messages are not a crisis."""
    return ngram_classifier(30.0, class_weight="balanced")


def crisis_examples(path: Path) -> Dict[str, List[str]]:
    """The `crisis` and `not_crisis` example messages of the examples file."""
    raw = yaml.safe_load(path.read_text("utf-8"))
    return {"crisis": list(raw["crisis"]), "not_crisis": list(raw["not_crisis"])}


def examples_path(config: Dict[Text, Any]) -> Path:
    """The examples file a configuration names, from the project's root when relative."""
    path = Path(config["examples_file"])
    return path if path.is_absolute() else PROJECT_ROOT / path


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CrisisClassifier(NgramModelComponent):
    """Scores how likely each message is to come from someone in crisis (0 to 1)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Help requests ("which number do I call", "stay with me") are sent in a crisis as often as
        # not: they are examples of neither side.
        return {
            "examples_file": "data/safety/crisis_examples.yml",
            "crisis_intent": "crisis",
            "neither_intents": ["ask_for_help"],
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """The examples file and this module's code (see code_fingerprint)."""
        examples = examples_path({**cls.get_default_config(), **config})
        return code_fingerprint(examples, Path(__file__)).hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        examples = crisis_examples(examples_path(self.config))
        crisis, other = list(examples["crisis"]), list(examples["not_crisis"])
        for example in training_data.intent_examples:
            if example.get(INTENT) in self.config["neither_intents"]:
                continue
            (crisis if example.get(INTENT) == self.config["crisis_intent"] else other).append(example.get(TEXT))
        return self._fit_and_store(crisis + other, [1] * len(crisis) + [0] * len(other), new_classifier())

    def score(self, text: str) -> float:
        """The highest crisis probability of the message and of each of its sentences (0 for a
        message without words)."""
        parts = sentences(text)
        return float(self.classifier.predict_proba(parts)[:, 1].max()) if parts else 0.0

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            message.set(CRISIS_SCORE, self.score(text) if text.strip() else 0.0, add_to_output=True)
        return messages
