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
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Pattern, Tuple

import yaml

from bot import PROJECT_ROOT
from bot.channels.questions import split_questions

PATTERNS_FILE = PROJECT_ROOT / "data" / "safety" / "crisis_patterns.yml"
POISONING = "poisoning"
# Letters from which a phrase in Latin letters matches with any ending (phrases_regex).
LONG_PHRASE = 8
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
    """White space collapsed, curly apostrophes made straight, letters composed (NFC: Vietnamese
    and Yoruba keyboards and macOS often type an accent as a letter of its own) and the Turkish
    dotted capital I made a plain i (JavaScript's case-insensitive match does not fold it), as the
    patterns expect."""
    text = unicodedata.normalize("NFC", text).replace("\u0130", "i")
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
    # What a body does after an overdose or a poisoning (numb lips, chest pain), told later on
    # (`body`), and what makes a message a question about KAP instead (`unless`).
    symptoms: Dict[str, Pattern[str]]
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
            entry["regex"] if "regex" in entry else phrases_regex(entry["phrases"], entry.get("unless"))
            for entry in raw["crisis"]
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
            symptoms={name: compiled(raw["symptoms"][name]) for name in ("body", "unless")},
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
            in_the_past=self._told_as_past(flat),
        )

    def find_in_message(self, text: str) -> Optional[CrisisSignal]:
        """The crisis signal of the whole message, else of the first of its questions, as the
        channels split them (bot/channels/questions.py), that has one: a phrase that ends a
        sentence ("goodbye world") may be found in "goodbye world and how fast does kap work"
        only once it is split off."""
        return next(
            (signal for part in [text, *split_questions(text)] for signal in [self.find(part)] if signal),
            None,
        )

    def tells_a_symptom(self, text: str) -> bool:
        """Whether the message tells of what a body does after an overdose or a poisoning, and
        is not a question about KAP."""
        flat = normalise(text)
        return self.symptoms["body"].search(flat) is not None and self.symptoms["unless"].search(flat) is None

    def in_a_frame(self, text: str) -> bool:
        """Whether the message is set in a professional, academic or fictional frame."""
        return self.frames.search(normalise(text)) is not None

    def subject_of(self, text: str) -> CrisisSignal:
        """The signal of a crisis message no pattern matched (the learned classifier found it):
        about someone else when it names third persons more often than the writer."""
        subjects = [who for who, _ in self._subjects(normalise(text))]
        return CrisisSignal(poisoning=False, someone_else=subjects.count(SOMEONE_ELSE) > subjects.count(SELF))

    def _told_as_past(self, flat: str) -> bool:
        """Whether every crisis phrase, each time it occurs, has a past marker in its own clause
        ("when I was 17", "ten years ago"; "years ago I lost my job, now I want to die" is not
        one), the message says the episode is over ("I'm doing well now") and nothing says it is
        back or still there ("again", "lately", "last night", "on paper"). A phrase inside the
        words that say it is over ("I haven't self-harmed since") needs no marker of its own."""
        over = [match.span() for match in self.history["over"].finditer(flat)]
        return (
            all(
                self.history["past"].search(_clause(flat, match))
                or any(start <= match.start() and match.end() <= end for start, end in over)
                for pattern, _, _ in self.crisis
                for match in pattern.finditer(flat)
            )
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


def phrases_regex(phrases: Dict[str, List[str]], unless: Optional[str] = None) -> str:
    """One regular expression for the phrases of every language, each with white space as any
    white space: a phrase in Latin letters from the start of a word, with any ending when it has
    LONG_PHRASE letters or more and as a whole word when shorter ("tu sat" is not "tu
    satisfacción"); a phrase in another script anywhere, with any ending (JavaScript's `\\b`
    knows only ASCII letters). None when `unless` follows it ("vill dö av skratt"). Shaped as a
    tree of the phrases' letters, so that a search tries the few phrases that share a message's
    next letter, not thousands."""
    trees: Dict[str, Dict[str, Any]] = {"long": {}, "short": {}, "other": {}}
    for phrase in (normalise(phrase).lower() for forms in phrases.values() for phrase in forms):
        group = "other" if not re.match(r"[a-z]", phrase) else "long" if len(phrase) >= LONG_PHRASE else "short"
        node = trees[group]
        for character in phrase:
            node = node.setdefault(character, {})
        node[""] = {}
    after = rf"(?!\s*(?:{unless}))" if unless else ""
    shapes = {"long": r"\b{}" + after, "short": r"\b{}(?![a-z\u00c0-\u024f])" + after, "other": "{}" + after}
    return "|".join(shapes[group].format(_tree_regex(tree)) for group, tree in trees.items() if tree)


def _tree_regex(node: Dict[str, Any]) -> str:
    """The regular expression of a tree of letters; after a phrase that ends where longer ones
    go on, the rest is optional."""
    branches = [_letter(character) + _tree_regex(child) for character, child in sorted(node.items()) if character]
    if not branches:
        return ""
    ends_here = "" in node
    body = branches[0] if len(branches) == 1 and not ends_here else "(?:" + "|".join(branches) + ")"
    return body + ("?" if ends_here else "")


def _letter(character: str) -> str:
    return r"\s+" if character == " " else re.escape(character)


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
