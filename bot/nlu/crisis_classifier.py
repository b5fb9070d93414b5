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
logistic regression: small, fast (well under a millisecond a message) and trained with the model.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import joblib
import sklearn
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_union

from bot import PROJECT_ROOT
from bot.nlu.crisis_patterns import normalise

CRISIS_SCORE = "crisis_score"
MODEL_FILE = "crisis_classifier.joblib"
# Where one sentence ends and the next begins (the punctuation is kept with its sentence).
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


def sentences(text: str) -> List[str]:
    """The message itself, then each of its sentences when it has more than one; only text with
    at least two letters is read (a stray "." or a list's "1." says nothing)."""
    parts = [part for part in _SENTENCE_END.split(text) if _has_words(part)]
    if not _has_words(text):
        return []
    return [text, *parts] if len(parts) > 1 else [text]


def _has_words(text: str) -> bool:
    return sum(character.isalpha() for character in text) >= 2


def crisis_examples(path: Path) -> Dict[str, List[str]]:
    """The `crisis` and `not_crisis` example messages of the examples file."""
    raw = yaml.safe_load(path.read_text("utf-8"))
    return {"crisis": list(raw["crisis"]), "not_crisis": list(raw["not_crisis"])}


def examples_path(config: Dict[Text, Any]) -> Path:
    """The examples file a configuration names, from the project's root when relative."""
    path = Path(config["examples_file"])
    return path if path.is_absolute() else PROJECT_ROOT / path


def new_classifier() -> Pipeline:
    """Word 1-2-grams and character 2-5-grams, weighted by tf-idf, into a logistic regression."""
    return Pipeline(
        [
            (
                "features",
                make_union(
                    TfidfVectorizer(preprocessor=_lower, ngram_range=(1, 2), sublinear_tf=True, min_df=1),
                    TfidfVectorizer(
                        preprocessor=_lower, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
                    ),
                ),
            ),
            ("classifier", LogisticRegression(C=30.0, class_weight="balanced", max_iter=3000)),
        ]
    )


def _lower(text: str) -> str:
    return normalise(text).lower()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CrisisClassifier(GraphComponent):
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

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: Pipeline | None = None,
    ) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource
        self.classifier = classifier

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisClassifier":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CrisisClassifier":
        with model_storage.read_from(resource) as directory:
            classifier = joblib.load(directory / MODEL_FILE)
        return cls(config, model_storage, resource, classifier)

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """The examples file's content, this module's code and scikit-learn's version, so that
        Rasa retrains the classifier when any of them changes (Rasa fingerprints the NLU data it
        hands the component and the class, not a file it reads or the functions it calls)."""
        digest = hashlib.sha256(examples_path({**cls.get_default_config(), **config}).read_bytes())
        digest.update(Path(__file__).read_bytes())
        digest.update(sklearn.__version__.encode())
        return digest.hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        examples = crisis_examples(examples_path(self.config))
        crisis, other = list(examples["crisis"]), list(examples["not_crisis"])
        for example in training_data.intent_examples:
            if example.get(INTENT) in self.config["neither_intents"]:
                continue
            (crisis if example.get(INTENT) == self.config["crisis_intent"] else other).append(example.get(TEXT))
        self.classifier = new_classifier().fit(crisis + other, [1] * len(crisis) + [0] * len(other))
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self.classifier, directory / MODEL_FILE)
        return self._resource

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
