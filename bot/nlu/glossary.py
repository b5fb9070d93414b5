"""Words of other languages read as the English words they translate, before the intent model.

The bot answers from an English sheet, and its intent model learned English questions. A patient
who asks "a terapia com cetamina funciona pra depressão?" or "这个治疗对创伤有帮助吗？" used to get
a fallback or, worse, another topic's answer. Training examples in twenty languages did not
carry to new questions in them (they cost 17 s of training and 4 ms a message, and fresh
questions in those languages still fell back); a glossary does: each form of
data/languages/glossary.yml found in a message is replaced by its English words ("depressão" by
"depression", "创伤" by "trauma"), and the intent model reads the result as it reads English.

Forms are found three ways, by their script:
- in scripts written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese), anywhere in
  a word;
- elsewhere a form of a stem's length or more is a stem: it matches the start of a word
  ("депресси" in "депрессией", "ansiedad" in "ansiedades"); six letters, but two Korean
  syllables (particles follow the word) and four Arabic or Hebrew letters, which may follow one
  of the glossary's `prefixes` ("ال", "ו": "الألم" is "ألم");
- shorter forms match whole words only.
A form of several words matches those words in a row. The longest form wins.

Only the intent model reads the glossed text, as with the spelling corrector: the crisis
classifier and the crisis patterns keep the writer's own words.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import regex
import yaml
from sklearn.base import BaseEstimator, TransformerMixin

from bot.nlu.crisis_patterns import normalise_lower

GLOSSARY_FILE = Path(__file__).resolve().parents[2] / "data" / "languages" / "glossary.yml"
# A word, with its combining marks (Hindi and Bengali vowel signs, which `\w` leaves out).
_WORD = regex.compile(r"[\w\p{M}]+")
# The most words in a form ("en qué consiste").
_MOST_WORDS = 4
# Scripts whose forms are found anywhere in a word (see the module's docstring).
_INSIDE_WORDS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")
# The letters from which a form is a stem, in scripts other than Latin's default (see above).
_STEM_LENGTHS = {"HANGUL": 2, "ARABIC": 4, "HEBREW": 4}
_WITH_PREFIXES = ("ARABIC", "HEBREW")


def read_glossary(path: Path = GLOSSARY_FILE) -> Dict[str, Dict[str, List[str]]]:
    """The glossary: for each language, each English target and the forms that translate it."""
    return _read(path)["languages"]


def _read(path: Path) -> Dict:
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def _script(form: str) -> str:
    """The first word of the Unicode name of the form's first letter ("LATIN", "ARABIC")."""
    return next((unicodedata.name(c, "").split(" ")[0] for c in form if c.isalpha()), "")


def found_inside_words(form: str) -> bool:
    """Whether the form is written in a script whose forms are found anywhere in a word."""
    return any(character.isalpha() and unicodedata.name(character, "").startswith(_INSIDE_WORDS) for character in form)


class Glossary(BaseEstimator, TransformerMixin):
    """A scikit-learn step: texts in, the same texts normalised, in lower case, with the
    glossary's forms replaced by their English words, out."""

    def __init__(self, path: Optional[str] = None, stem_length: int = 6) -> None:
        self.path = path
        self.stem_length = stem_length

    def fit(self, texts: Iterable[str], labels: Optional[Iterable] = None) -> "Glossary":
        """Reads the glossary into three tables (whole words, stems, forms inside words)."""
        self.words_: Dict[str, str] = {}
        self.stems_: Dict[str, str] = {}
        self.inside_: Dict[str, str] = {}
        glossary = _read(Path(self.path) if self.path else GLOSSARY_FILE)
        self.prefixes_ = sorted(
            (normalise_lower(prefix) for prefix in glossary.get("prefixes", [])), key=len, reverse=True
        )
        for targets in glossary["languages"].values():
            for english, forms in targets.items():
                for form in forms:
                    form = normalise_lower(form)
                    self._table_for(form)[form] = english
        self.inside_lengths_ = sorted({len(form) for form in self.inside_}, reverse=True)
        self.longest_stem_ = max(map(len, self.stems_), default=0)
        return self

    def _table_for(self, form: str) -> Dict[str, str]:
        if found_inside_words(form) and " " not in form:
            return self.inside_
        if len(form.replace(" ", "")) >= _STEM_LENGTHS.get(_script(form), self.stem_length):
            return self.stems_
        return self.words_

    def transform(self, texts: Iterable[str]) -> List[str]:
        return [self.translate(normalise_lower(text)) for text in texts]

    def translate(self, text: str) -> str:
        """The text with every form found replaced by its English words."""
        words = list(_WORD.finditer(text))
        pieces: List[str] = []
        position = index = 0
        while index < len(words):
            found = self._form_at(text, words, index)
            if found is None:
                index += 1
                continue
            english, count = found
            pieces += [text[position : words[index].start()], english]
            position = words[index + count - 1].end()
            index += count
        return "".join(pieces + [text[position:]])

    def _form_at(self, text: str, words: List["regex.Match[str]"], index: int) -> Optional[Tuple[str, int]]:
        """The English words of the longest form that starts at the `index`th word, and how many
        words it takes; or of the word's parts that are forms found inside words."""
        for count in range(min(_MOST_WORDS, len(words) - index), 0, -1):
            run = words[index : index + count]
            if any(text[a.end() : b.start()].strip() for a, b in zip(run, run[1:], strict=False)):
                continue
            phrase = " ".join(word.group(0) for word in run)
            for bare in self._without_prefixes(phrase):
                if bare in self.words_:
                    return self.words_[bare], count
                stem = self._stem_of(bare, len(run[-1].group(0)))
                if stem is not None:
                    return self.stems_[stem], count
        inside = self._inside(words[index].group(0))
        return (inside, 1) if inside is not None else None

    def _without_prefixes(self, phrase: str) -> List[str]:
        """The phrase, then, in scripts whose words take prefixes, the phrase without each prefix
        it begins with."""
        if _script(phrase) not in _WITH_PREFIXES:
            return [phrase]
        return [phrase] + [phrase[len(prefix) :] for prefix in self.prefixes_ if phrase.startswith(prefix)]

    def _stem_of(self, phrase: str, last_word_length: int) -> Optional[str]:
        """The longest stem that the phrase starts with and that ends in its last word."""
        longest = min(len(phrase), self.longest_stem_)
        for end in range(longest, max(len(phrase) - last_word_length, 0), -1):
            if phrase[:end] in self.stems_:
                return phrase[:end]
        return None

    def _inside(self, word: str) -> Optional[str]:
        """The word with each form found inside it replaced by its English words (the longest
        first, from the left), or None when it has none."""
        if not self.inside_ or not found_inside_words(word):
            return None
        pieces: List[str] = []
        start = 0
        found = False
        while start < len(word):
            length = next(
                (length for length in self.inside_lengths_ if word[start : start + length] in self.inside_), 0
            )
            if length:
                pieces.append(f" {self.inside_[word[start : start + length]]} ")
                start += length
                found = True
            else:
                pieces.append(word[start])
                start += 1
        return "".join(pieces).strip() if found else None
