"""What the project's two learned classifiers share: word and character n-grams, weighted by
tf-idf, into a logistic regression, trained with the model and stored in Rasa's model storage.

Character n-grams carry misspellings ("anxity", "suicidle") and fragments ("tiredness??") to the
words they resemble; a logistic regression over them is small, quick to train and well under a
millisecond a message. The intent classifier (bot/nlu/intent_classifier.py) and the crisis
classifier (bot/nlu/crisis_classifier.py) each subclass NgramModelComponent.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Text

import joblib
import numpy
import sklearn
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_union

from bot.nlu.crisis_patterns import normalise, normalise_lower
from bot.nlu.glossary import Glossary
from bot.nlu.spelling import SpellingCorrector

MODEL_FILE = "classifier.joblib"
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


def ngram_classifier(strength: float, class_weight: Optional[str] = None, read_as_english: bool = False) -> Pipeline:
    """Word 1-2-grams and character 2-5-grams (those in at least two examples), weighted by
    tf-idf, into a logistic regression whose inverse regularisation is `strength` (scikit-learn's C);
    with `read_as_english`, words of other languages are first replaced by the English words they
    translate (bot/nlu/glossary.py), and misspelt words corrected to the training words they most
    likely are (bot/nlu/spelling.py)."""
    return Pipeline(
        [
            *([("glossary", Glossary()), ("spelling", SpellingCorrector())] if read_as_english else []),
            (
                "features",
                make_union(
                    TfidfVectorizer(preprocessor=normalise_lower, ngram_range=(1, 2), sublinear_tf=True),
                    TfidfVectorizer(
                        preprocessor=normalise_lower,
                        analyzer="char_wb",
                        ngram_range=(2, 5),
                        sublinear_tf=True,
                        min_df=2,
                    ),
                ),
            ),
            ("classifier", LogisticRegression(C=strength, class_weight=class_weight, max_iter=3000)),
        ]
    )


class NgramModelComponent(GraphComponent):
    """A Rasa graph component holding one trained n-gram classifier."""

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
    ) -> "NgramModelComponent":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "NgramModelComponent":
        with model_storage.read_from(resource) as directory:
            classifier = joblib.load(directory / MODEL_FILE)
        return cls(config, model_storage, resource, classifier)

    def _fit_and_store(self, texts: Iterable[Text], labels: Iterable[Any], classifier: Pipeline) -> Resource:
        """Trains `classifier` and writes it to the model storage."""
        self.classifier = quick_to_predict(classifier.fit(list(texts), list(labels)))
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self.classifier, directory / MODEL_FILE)
        return self._resource


def quick_to_predict(classifier: Pipeline) -> Pipeline:
    """The trained pipeline with its logistic regression's weights in column-major order. Its
    predictions multiply the sparse features by the transposed weights; in scikit-learn's row-major
    order that transpose is column-major, and SciPy copies all of it at every call (47 intents by
    52,000 n-grams: about 4 ms a call, and a message makes several). Stored the other way round,
    the transpose is used as it is: a message is read in about 13 ms instead of 24, with the same
    probabilities."""
    regression = classifier.named_steps["classifier"]
    regression.coef_ = numpy.asfortranarray(regression.coef_)
    return classifier


def code_fingerprint(*files: Path) -> "hashlib._Hash":
    """A digest of the given files, this module, the text normalisation's and the spelling
    corrector's modules and scikit-learn's version: Rasa fingerprints the
    NLU data it hands a component and its class, not a file it reads or the functions it calls,
    so a component adds this to retrain when any of them changes."""
    digest = hashlib.sha256()
    for path in (
        *files,
        Path(__file__),
        Path(normalise.__code__.co_filename),
        Path(SpellingCorrector.correct.__code__.co_filename),
    ):
        digest.update(path.read_bytes())
    digest.update(sklearn.__version__.encode())
    return digest
