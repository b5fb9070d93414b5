"""A safety net behind the NLU model: crisis language always yields the `crisis` intent.

A statistical classifier can be unsure, or be pulled towards an FAQ intent when a message mixes
a crisis with a question about KAP. This component runs after the FallbackClassifier and
overrides whatever was predicted when a message matches one of the patterns in
data/safety/crisis_patterns.yml, so that a crisis phrase is never lost to low confidence.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Pattern, Text

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot import PROJECT_ROOT


def load_patterns(path: Path) -> List[Pattern[str]]:
    """Compile the crisis patterns of a YAML file; a bad pattern is an error naming it."""
    raw = yaml.safe_load(Path(path).read_text("utf-8"))
    compiled = []
    for pattern in raw["patterns"]:
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as error:
            raise ValueError(f"{path}: bad crisis pattern {pattern!r}: {error}") from error
    return compiled


def is_crisis(text: str, patterns: List[Pattern[str]]) -> bool:
    """Whether any pattern matches the message, with its white space collapsed."""
    flat = " ".join(text.split())
    return any(pattern.search(flat) for pattern in patterns)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisGuard(GraphComponent, IntentClassifier):
    """Sets the intent to `crisis` with full confidence when crisis language is found."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"patterns_file": "data/safety/crisis_patterns.yml", "intent": "crisis"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        path = Path(config["patterns_file"])
        self.patterns = load_patterns(path if path.is_absolute() else PROJECT_ROOT / path)
        self.intent = config["intent"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisGuard":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if message.get(TEXT) and is_crisis(message.get(TEXT), self.patterns):
                crisis = {INTENT_NAME_KEY: self.intent, PREDICTED_CONFIDENCE_KEY: 1.0}
                ranking = [
                    entry
                    for entry in message.get(INTENT_RANKING_KEY, [])
                    if entry.get(INTENT_NAME_KEY) != self.intent
                ]
                message.set(INTENT, crisis, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [crisis] + ranking, add_to_output=True)
        return messages
