"""Misspelt words read as the training word they most likely are, before the intent model's n-grams.

Character n-grams carry many misspellings to the words they resemble, but two swapped or one
missing letter in a short word ("relpase", "anixety") breaks most of its n-grams, and the message
falls back. The corrector learns the vocabulary of the training data and replaces each word of
English letters that it has never seen, of `min_length` to `max_length` letters, by the closest
training word (the commonest of those equally close): one edit away (a letter dropped, added or
changed, or two neighbours swapped), two for words of `long_word` letters or more. Words with
digits or other scripts (Chinese is written without spaces), and words it cannot place, are left
as they are. Candidates are found through their deletions (the symmetric-delete method); each
word is looked up once per process.

Only the intent model reads the corrected text: the crisis classifier keeps the writer's own words
(a correction of "noose" or "hanged" to a word of the FAQ must never lower a crisis score).
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations
from typing import Dict, Iterable, List, Optional, Set

from sklearn.base import BaseEstimator, TransformerMixin

from bot.nlu.crisis_patterns import normalise_lower

# A word: letters and digits together ("every1" is one word, never "every" and "1").
_TOKEN = re.compile(r"\w+")
_ENGLISH_LETTERS = re.compile(r"[a-z]+")
# The most corrections remembered at once (a server reads patients' words for weeks).
_MOST_REMEMBERED = 50_000


def edit_distance(a: str, b: str) -> int:
    """Letters dropped, added or changed, and neighbours swapped, to turn `a` into `b`."""
    previous2: List[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def deletions(word: str, edits: int) -> Set[str]:
    """The word with up to `edits` letters taken out, the word itself included."""
    return {
        "".join(letter for index, letter in enumerate(word) if index not in dropped)
        for count in range(edits + 1)
        for dropped in map(set, combinations(range(len(word)), count))
    }


class SpellingCorrector(BaseEstimator, TransformerMixin):
    """A scikit-learn step: texts in, the same texts normalised, in lower case, with unknown
    words corrected, out."""

    def __init__(self, min_length: int = 5, long_word: int = 10, max_length: int = 20) -> None:
        self.min_length = min_length
        self.long_word = long_word
        self.max_length = max_length

    def fit(self, texts: Iterable[str], labels: Optional[Iterable] = None) -> "SpellingCorrector":
        words = (word for text in texts for word in _TOKEN.findall(normalise_lower(text)))
        self.vocabulary_: Dict[str, int] = dict(Counter(words))
        self._index: Optional[Dict[str, List[str]]] = None
        self._corrections: Dict[str, str] = {}
        return self

    def transform(self, texts: Iterable[str]) -> List[str]:
        return [_TOKEN.sub(lambda match: self.correct(match.group(0)), normalise_lower(text)) for text in texts]

    def correct(self, word: str) -> str:
        """The word, or the closest known word when it is an unknown English word of a length
        to correct (see the module's docstring)."""
        if (
            word in self.vocabulary_
            or not self.min_length <= len(word) <= self.max_length
            or not _ENGLISH_LETTERS.fullmatch(word)
        ):
            return word
        if word not in self._corrections:
            if len(self._corrections) >= _MOST_REMEMBERED:
                self._corrections.clear()
            self._corrections[word] = self._closest(word)
        return self._corrections[word]

    def _closest(self, word: str) -> str:
        edits = self._edits(word)
        candidates = {known for variant in deletions(word, edits) for known in self._by_deletion().get(variant, ())}
        distances = {known: edit_distance(word, known) for known in candidates}
        close = [known for known, distance in distances.items() if distance <= edits]
        if not close:
            return word
        return min(close, key=lambda known: (distances[known], -self.vocabulary_[known], known))

    def _edits(self, word: str) -> int:
        return 2 if len(word) >= self.long_word else 1

    def _by_deletion(self) -> Dict[str, List[str]]:
        """Each deletion of each known English word, to the known words it comes from; built on
        first use, never stored with the model (see __getstate__)."""
        if self._index is None:
            index: Dict[str, List[str]] = {}
            for known in self.vocabulary_:
                if self.min_length - 1 <= len(known) <= self.max_length + 2 and _ENGLISH_LETTERS.fullmatch(known):
                    for variant in deletions(known, self._edits(known)):
                        index.setdefault(variant, []).append(known)
            self._index = index
        return self._index

    def __getstate__(self) -> Dict:
        return {**super().__getstate__(), "_index": None, "_corrections": {}}
