"""Two questions in one message, answered one after the other.

Rasa classifies a whole message into one intent, so "does it help with PTSD? also is it
addictive" would get one answer and silently drop the other half, which a patient may read as
"it is not addictive". Rasa's multi-intents (`intent_split_symbol`) only predict combinations
seen in training, and any topic can be joined with any other question, so the channel splits
the message at a question boundary instead ("?" followed by more text, or "and" / "also" /
"plus" before a new question) and hands Rasa each part as its own turn, in order. A greeting,
thanks or goodbye set off by punctuation before or after questions ("hi! is it effective?",
"thanks, bye!") is a part of its own too, answered as such; never one around a statement, which
may be a goodbye from someone in crisis ("I'm sorry for everything. goodbye").
"""

import re
from typing import List

_QUESTION_WORDS = (
    r"is|are|does|do|did|can|could|will|would|should|how|what|whats|what's|when|where|which" r"|who|any|was|were"
)
# A new question after "and" / "also" / "plus": a wh-word, or a verb followed by its subject
# ("and is it covered", not the relative clause of "people who tried SSRIs and did not improve").
_NEW_QUESTION = (
    r"(?:how|what|whats|what's|when|where|which|who)\s"
    r"|(?:is|are|does|do|did|can|could|will|would|should|was|were)\s+"
    r"(?:it|i|you|u|kap|ketamine|this|that|there|they|we|he|she|my|the|a|an|someone|people|patients"
    r"|your|insurance)\b"
)
_BOUNDARY = re.compile(
    r"(?<=\?)\s+(?:(?:and\s+also|and|also|plus|but)\s+)?"  # after a question mark, when more follows
    rf"|[,;]?\s+(?:and\s+also|and|also|plus)\s+(?={_NEW_QUESTION})",
    re.IGNORECASE,
)
# A part reads as a question: it ends with "?", or it opens (or a clause of it opens) with a
# question word. "my son has ADHD and can't focus" is a statement, not two questions.
_QUESTION = re.compile(rf"\?\s*$|(?:^|[,;:.]\s*)(?:{_QUESTION_WORDS})\s", re.IGNORECASE)
# The message asks something: a "?" anywhere, or a sentence or clause opening with a question word.
_ASKS = re.compile(rf"\?|(?:^|[,;:.!]\s*)(?:{_QUESTION_WORDS})\s", re.IGNORECASE)
# A greeting, thanks or goodbye ("ok thanks so much", "see ya"), as a whole part.
_COURTESY = re.compile(
    r"(?:(?:ok|okay|great|cool|perfect|oh)\s+)?"
    r"(?:hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening)|thanks|thank\s+you|thx|cheers"
    r"|bye|goodbye|see\s+ya|see\s+you|cya)"
    r"(?:\s+(?:there|so\s+much|a\s+lot|again|all))?",
    re.IGNORECASE,
)
# The courtesy that opens a message, set off by punctuation, and the one that ends it.
_OPENING_COURTESY = re.compile(rf"^\s*({_COURTESY.pattern})\s*[!.,]+\s*(?=\S)", re.IGNORECASE)
_CLOSING_COURTESY = re.compile(rf"(?<=[?!.,])\s*({_COURTESY.pattern})\s*[!.]*\s*$", re.IGNORECASE)
_LEADING_JOINER = re.compile(r"^(?:and\s+also|and|also|plus|but)\s+", re.IGNORECASE)
MIN_WORDS = 3
MAX_PARTS = 3
# Two topics or questions joined by a sign or a texting "n" ("ptsd + drinking?", "anxity n
# overthinkin", "how fast n does insurance pay"): each side is a part when it is a question or a
# fragment of at most FRAGMENT_WORDS words with a word of four letters or more, in a message of at
# most JOINED_WORDS words.
_JOINT = re.compile(r"\s+(?:\+|&|plus|n)\s+", re.IGNORECASE)
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
FRAGMENT_WORDS = 4
JOINED_WORDS = 16


def _only_questions(text: str) -> bool:
    """Whether each part of the text is a question or a courtesy: a greeting or goodbye is split
    off only around questions, never off a statement ("I'm sorry for everything. goodbye")."""
    parts = split_questions(text.strip())
    return all(_COURTESY.fullmatch(part.strip(" !.,")) or _QUESTION.search(part) for part in parts)


def asks_a_question(text: str) -> bool:
    """Whether the message asks a question (the crisis guard answers one after its check-in)."""
    return _ASKS.search(text) is not None


def split_questions(text: str) -> List[str]:
    """The questions of a message, in order, with an opening or closing courtesy as a part of its
    own; the message itself when it is one question, when a part would be too short to stand
    alone (fewer than three words) or is not a question, or when there are more than three
    parts (a long story, better read whole)."""
    if text.startswith("/"):
        return [text]
    opening = _OPENING_COURTESY.match(text)
    if opening and _only_questions(text[opening.end() :]):
        return [opening.group(1), *split_questions(text[opening.end() :])]
    closing = _CLOSING_COURTESY.search(text)
    if closing and closing.start() > 0 and _only_questions(text[: closing.start()]):
        return [*split_questions(text[: closing.start()].strip()), closing.group(1)]
    joined = _joined_parts(text)
    if joined:
        return [question for part in joined for question in split_questions(part)][:MAX_PARTS]
    parts = [_LEADING_JOINER.sub("", part.strip(" ,;")) for part in _BOUNDARY.split(text.strip())]
    parts = [part for part in parts if part]
    if (
        len(parts) < 2
        or len(parts) > MAX_PARTS
        or any(len(part.split()) < MIN_WORDS or not _QUESTION.search(part) for part in parts)
    ):
        return [text]
    return parts


def _joined_parts(text: str) -> List[str]:
    """The sides of "+", "&", "plus" or a texting "n" in a short message, when each can stand
    alone (a question, or a fragment that names something); else nothing."""
    if len(text.split()) > JOINED_WORDS or not _JOINT.search(text):
        return []
    sides = _JOINT.split(text.strip())
    if len(sides) > MAX_PARTS:
        return []
    for side in sides:
        fragment = len(side.split()) <= FRAGMENT_WORDS and _CONTENT_WORD.search(side)
        if not (fragment or _QUESTION.search(side)):
            return []
    return [side.strip(" ,;") for side in sides]
