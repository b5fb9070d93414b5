"""The crisis patterns of data/safety/crisis_patterns.yml: what a message signals, and about whom.

One reading of the patterns serves the NLU safety net (bot/nlu/crisis_guard.py), the channels'
safety-net replies (bot/channels/screening.py) and the website widget (served to it as JSON), so that a
message is judged the same way wherever it arrives. The readings that soften the reply to a check-in
(a mention in a professional frame, a past episode that is over) need the crisis classifier's
score, so only the NLU guard makes them: when the assistant cannot be reached, every match gets
the crisis resources.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Pattern, Tuple

import yaml

from bot import PROJECT_ROOT

PATTERNS_FILE = PROJECT_ROOT / "data" / "safety" / "crisis_patterns.yml"
POISONING = "poisoning"
SOMEONE_ELSE = "someone_else"
SELF = "self"
REFLEXIVE = ("himself", "herself")


@dataclass(frozen=True)
class CrisisSignal:
    """What a crisis message is about: a poisoning or overdose, and whether someone else is at risk."""

    poisoning: bool
    someone_else: bool
    # Only patterns that name the subject matched (`mention: true` in the file), and the writer
    # is not in the sentence of any of them, but for a frame ("I'm a nurse"): "I feel suicidal".
    named_only: bool = False
    # Every phrase is told as a past episode that the message says is over (`history` in the file).
    in_the_past: bool = False

    def slot_values(self) -> Dict[str, str]:
        """The values of the crisis slots (domain.yml) this signal fills; no poisoning, no kind."""
        values = {"crisis_subject": SOMEONE_ELSE if self.someone_else else SELF}
        if self.poisoning:
            values["crisis_kind"] = POISONING
        return values


# The writer's own life ("my mum died"), read with the subjects for a mention (see _writer_in_sentence).
_MY = re.compile(r"\bmy\b", re.IGNORECASE)


def normalise(text: str) -> str:
    """White space collapsed and curly apostrophes made straight, as the patterns expect."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def normalise_lower(text: str) -> str:
    """The normalised text in lower case, as the n-gram classifiers read it."""
    return normalise(text).lower()


@dataclass(frozen=True)
class CrisisPatterns:
    """The compiled patterns, each with its kind, and the subject patterns."""

    crisis: Tuple[Tuple[Pattern[str], Optional[str], bool], ...]
    self_subject: Pattern[str]
    someone_else_subject: Pattern[str]
    frames: Pattern[str]
    history: Dict[str, Pattern[str]]
    sources: Dict[str, Any]
    # Each crisis entry's regular expression as text, a list of phrases made one (phrases_regex).
    crisis_regexes: Tuple[str, ...]

    @classmethod
    def load(cls, path: Path = PATTERNS_FILE) -> "CrisisPatterns":
        """Compile the file's patterns; a bad one is an error naming it and the file."""
        raw = yaml.safe_load(Path(path).read_text("utf-8"))

        def compiled(regex: str) -> Pattern[str]:
            try:
                return re.compile(regex, re.IGNORECASE)
            except re.error as error:
                raise ValueError(f"{path}: bad crisis pattern {regex!r}: {error}") from error

        regexes = tuple(
            entry["regex"] if "regex" in entry else phrases_regex(entry["phrases"]) for entry in raw["crisis"]
        )
        return cls(
            crisis=tuple(
                (compiled(regex), entry.get("kind"), bool(entry.get("mention")))
                for regex, entry in zip(regexes, raw["crisis"], strict=True)
            ),
            self_subject=compiled(raw["subjects"][SELF]),
            someone_else_subject=compiled(raw["subjects"][SOMEONE_ELSE]),
            frames=compiled(raw["frames"]),
            history={name: compiled(raw["history"][name]) for name in ("past", "over", "back")},
            sources=raw,
            crisis_regexes=regexes,
        )

    def find(self, text: str) -> Optional[CrisisSignal]:
        """The crisis signal of a message, or None when no pattern matches."""
        flat = normalise(text)
        matches = [
            (match, kind, mention)
            for pattern, kind, mention in self.crisis
            for match in [pattern.search(flat)]
            if match
        ]
        if not matches:
            return None
        return CrisisSignal(
            poisoning=any(kind == POISONING for _, kind, _ in matches),
            someone_else=all(self._about_someone_else(flat, match) for match, _, _ in matches),
            named_only=all(mention and not self._writer_in_sentence(flat, match) for match, _, mention in matches),
            in_the_past=self._told_as_past(flat, [match for match, _, _ in matches]),
        )

    def in_a_frame(self, text: str) -> bool:
        """Whether the message is set in a professional, academic or fictional frame."""
        return self.frames.search(normalise(text)) is not None

    def subject_of(self, text: str) -> CrisisSignal:
        """The signal of a crisis message no pattern matched (the learned classifier found it):
        about someone else when it names third persons more often than the writer."""
        subjects = [who for who, _ in self._subjects(normalise(text))]
        return CrisisSignal(poisoning=False, someone_else=subjects.count(SOMEONE_ELSE) > subjects.count(SELF))

    def _told_as_past(self, flat: str, matches: List["re.Match[str]"]) -> bool:
        """Whether every phrase has a past marker in its own clause ("when I was 17", "ten years
        ago"; "years ago I lost my job, now I want to die" is not one), the message says the
        episode is over ("I'm doing well now") and nothing says it is back or still there
        ("again", "lately", "tomorrow", "on paper")."""
        return (
            all(self.history["past"].search(_clause(flat, match)) for match in matches)
            and self.history["over"].search(flat) is not None
            and self.history["back"].search(flat) is None
        )

    def _writer_in_sentence(self, flat: str, match: "re.Match[str]") -> bool:
        """Whether the writer (I, me, myself, my) is anywhere in the phrase's sentence, other than
        in a professional, academic or fictional frame: "as a teacher I have to admit suicide
        seems like the answer", "I'm a student, since my mum died the self harm is back" and
        "Nurse here. Accidentally overdosed on my meds" are the writer's, "I'm a registrar writing
        a review on ketamine and suicidal ideation" is not."""
        sentence = self.frames.sub(" ", _sentence(flat, match))
        return self.self_subject.search(sentence) is not None or _MY.search(sentence) is not None

    def _about_someone_else(self, flat: str, match: "re.Match[str]") -> bool:
        """Whether the phrase is about a third person. A subject inside the phrase that names
        who is at risk ("if I wasn't around", "kill himself") decides; otherwise the nearest
        subject before it in its sentence ("my son said he wants to die"); otherwise the writer."""
        inside = [who for who, word in self._subjects(match.group(0)) if who == SELF or word in REFLEXIVE]
        before = self._subjects(flat[_sentence_start(flat, match) : match.start()])
        subject = inside[0] if inside else before[-1][0] if before else SELF
        return subject == SOMEONE_ELSE

    def _subjects(self, text: str) -> List[Tuple[str, str]]:
        """(SELF or SOMEONE_ELSE, the word) for each subject in the text, in order."""
        found = [(m.start(), SELF, m.group(0).lower()) for m in self.self_subject.finditer(text)]
        found += [(m.start(), SOMEONE_ELSE, m.group(0).lower()) for m in self.someone_else_subject.finditer(text)]
        return [(who, word) for _, who, word in sorted(found)]

    def for_browser(self) -> Dict[str, List[str]]:
        """The regular expressions as text, for the widget (JavaScript, case-insensitive)."""
        return {"crisis": list(self.crisis_regexes)}


def phrases_regex(phrases: Dict[str, List[str]]) -> str:
    """One regular expression for the phrases of every language: a phrase in Latin letters from
    the start of a word, any other anywhere (JavaScript's `\\b` knows only ASCII letters), each
    with any ending, white space as any white space. Shaped as a tree of the phrases' letters, so
    that a search tries the few phrases that share a message's next letter, not thousands."""
    latin: Dict[str, Any] = {}
    other: Dict[str, Any] = {}
    for phrase in (" ".join(phrase.lower().split()) for forms in phrases.values() for phrase in forms):
        node = latin if re.match(r"[a-z]", phrase) else other
        for character in phrase:
            node = node.setdefault(character, {})
        node[""] = {}
    return "|".join(
        regex for regex in (r"\b" + _tree_regex(latin) if latin else "", _tree_regex(other) if other else "") if regex
    )


def _tree_regex(node: Dict[str, Any]) -> str:
    """The regular expression of a tree of letters; a phrase that ends at a node makes its longer
    phrases needless (any ending matches)."""
    if "" in node:
        return ""
    branches = [
        (r"\s+" if character == " " else re.escape(character)) + _tree_regex(child)
        for character, child in sorted(node.items())
    ]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


# Where a sentence ends, and where a clause does ("I was suicidal years ago, now I am again").
_SENTENCE_MARKS = ".!?;"
_CLAUSE_END = re.compile(r"[.!?;,:]|\b(now|but|though|although|yet|and\s+then)\b", re.IGNORECASE)


def _sentence_start(flat: str, match: "re.Match[str]") -> int:
    return max(flat.rfind(mark, 0, match.start()) for mark in _SENTENCE_MARKS) + 1


def _sentence(flat: str, match: "re.Match[str]") -> str:
    """The sentence of the (normalised, one-line) message in which a phrase was found."""
    ends = [end for end in (flat.find(mark, match.end()) for mark in _SENTENCE_MARKS) if end != -1]
    return flat[_sentence_start(flat, match) : min(ends, default=len(flat))]


def _clause(flat: str, match: "re.Match[str]") -> str:
    """The clause in which a phrase was found: from the last clause boundary before it to the
    first after it."""
    before = [bound.end() for bound in _CLAUSE_END.finditer(flat, 0, match.start())]
    after = _CLAUSE_END.search(flat, match.end())
    return flat[before[-1] if before else 0 : after.start() if after else len(flat)]


@functools.lru_cache(maxsize=None)
def crisis_patterns(path: Path = PATTERNS_FILE) -> CrisisPatterns:
    """The patterns of a file, read once per process."""
    return CrisisPatterns.load(path)
