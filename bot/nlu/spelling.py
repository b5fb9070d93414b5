"""Misspelt words read as the training word they most likely are, before the n-gram features.

Character n-grams carry many misspellings to the words they resemble, but two swapped or one
missing letter in a short word ("relpase", "lving", "anixety") breaks most of its n-grams, and the
message falls back. The corrector learns the vocabulary of the training data and replaces each
word it has never seen, of `min_length` letters or more, by the commonest training word one edit
away (a letter dropped, added or changed, or two neighbours swapped), two edits for words of
`long_word` letters or more. Words with digits, and words it cannot place, are left as they are.
Candidates are found through their deletions (the symmetric-delete method), so a lookup costs a
few dictionary reads.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations
from typing import Dict, Iterable, List, Optional, Set

from sklearn.base import BaseEstimator, TransformerMixin

from bot.nlu.crisis_patterns import normalise

_WORD = re.compile(r"[^\W\d_]+")


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
    """A scikit-learn step: lower-cased texts in, the same texts with unknown words corrected out."""

    def __init__(self, min_length: int = 5, long_word: int = 8) -> None:
        self.min_length = min_length
        self.long_word = long_word

    def fit(self, texts: Iterable[str], labels: Optional[Iterable] = None) -> "SpellingCorrector":
        self.vocabulary_: Dict[str, int] = dict(Counter(w for text in texts for w in _WORD.findall(_lower(text))))
        self._index = None
        return self

    def transform(self, texts: Iterable[str]) -> List[str]:
        return [_WORD.sub(lambda match: self.correct(match.group(0)), _lower(text)) for text in texts]

    def correct(self, word: str) -> str:
        """The word, or the commonest known word closest to it when it is unknown and long enough."""
        if word in self.vocabulary_ or len(word) < self.min_length:
            return word
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
        """Each deletion of each known word, to the known words it comes from; built on first use,
        never stored with the model (see __getstate__)."""
        if self._index is None:
            index: Dict[str, List[str]] = {}
            for known in self.vocabulary_:
                if len(known) >= self.min_length - 1:
                    for variant in deletions(known, self._edits(known)):
                        index.setdefault(variant, []).append(known)
            self._index = index
        return self._index

    def __getstate__(self) -> Dict:
        return {**super().__getstate__(), "_index": None}


def _lower(text: str) -> str:
    return normalise(text).lower()
