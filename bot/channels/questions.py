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
_QUESTION = re.compile(rf"[?\u061f\uff1f]\s*$|(?:^|[,;:.]\s*)(?:{_QUESTION_WORDS})\s", re.IGNORECASE)
# The message asks something: a question mark anywhere (the Arabic and the full-width ones, and
# the Greek one, most often typed as a semicolon after a Greek word), or a sentence or clause
# opening with a question word.
_ASKS = re.compile(
    rf"[?\u061f\uff1f\u037e]|(?<=[\u0370-\u03ff]);|(?:^|[,;:.!]\s*)(?:{_QUESTION_WORDS})\s", re.IGNORECASE
)
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
# Two topics joined by a sign or a texting "n" ("ptsd & drinking", "anxity n overthinkin"), or
# two or three questions joined by "+", "plus" or "n": each side is a part when both are
# fragments of at most FRAGMENT_WORDS words that name something (a word of four letters or more),
# with no person in them and no courtesy, or all are questions of at least MIN_WORDS words (a
# list of three fragments is one story: "cant sleep n cant eat n cant stop crying"). A question
# and a fragment stay together ("is it safe with bipolar + lithium?"), as do "I'm sorry for
# everything + goodbye", "my wife n I have ptsd" and "can u take ssri n ketamine together".
_FRAGMENT_JOINT = re.compile(r"\s+(?:\+|&|plus|n)\s+", re.IGNORECASE)
_QUESTION_JOINT = re.compile(r"\s+(?:\+|plus|n)\s+", re.IGNORECASE)
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
_PERSON = re.compile(r"\b(?:i|i'm|im|me|my|we|us|our|you|u|ur|your|he|she|him|her|they|them)\b", re.IGNORECASE)
_TOGETHER = re.compile(r"\b(?:together|combined|interact\w*|same\s+time|vs|versus|or)\b", re.IGNORECASE)
FRAGMENT_WORDS = 4
# Words that name the therapy itself, not a topic of the sheet ("ketamine and is it safe?" is one
# question), and other drugs or treatments, which a question after them is about ("esketamine and
# is it safe?").
_THERAPY_WORD = re.compile(
    r"ketamin\w*|assisted|psychotherapy|therapy|therapies|treatments?|infusions?|sessions?",
    re.IGNORECASE,
)
_OTHER_TREATMENT = re.compile(
    r"esketamine|spravato|psilocybin|mushrooms|shrooms|mdma|lsd|ayahuasca|ibogaine|ssris?|snris?"
    r"|antidepressants?|lithium|lexapro|zoloft|prozac|xanax|meds|medications?|pills",
    re.IGNORECASE,
)
# A few words about how the writer is, not a topic ("feeling better already and how many ...").
_STATEMENT = re.compile(r"^\s*(?:feel\w*|felt|been|got|getting|going|doing|having|had|am)\b", re.IGNORECASE)
# A question that refers back to what came before it ("rumination and does kap help with that",
# "social anxiety and can kap help").
_REFERS_BACK = re.compile(r"\b(?:that|this|these|those|them)\b|\bhelp\W*$", re.IGNORECASE)


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
    own, and topics or questions joined by a sign or a texting "n" as parts of their own
    (_joined_parts); a topic named before "and" and a question ("addiction and how much does it
    cost") is a part of its own; the message itself when it is one question, when a part would
    be too short to stand alone (fewer than three words) or is not a question, or when there
    would be more than three parts (a long story, better read whole)."""
    if text.startswith("/"):
        return [text]
    opening = _OPENING_COURTESY.match(text)
    if opening and _only_questions(text[opening.end() :]):
        return [opening.group(1), *split_questions(text[opening.end() :])]
    closing = _CLOSING_COURTESY.search(text)
    if closing and closing.start() > 0 and _only_questions(text[: closing.start()]):
        return [*split_questions(text[: closing.start()].strip()), closing.group(1)]
    joined = [question for part in _joined_parts(text) for question in split_questions(part)]
    if joined:
        return joined if len(joined) <= MAX_PARTS else [text]
    parts = [_LEADING_JOINER.sub("", part.strip(" ,;")) for part in _BOUNDARY.split(text.strip())]
    parts = [part for part in parts if part]
    if (
        len(parts) < 2
        or len(parts) > MAX_PARTS
        or not (_is_question(parts[0]) or _is_topic_fragment(parts[0], text))
        or not all(map(_is_question, parts[1:]))
    ):
        return [text]
    return parts


def _is_question(part: str) -> bool:
    """A part that can stand alone as a question: at least MIN_WORDS words, and it asks."""
    return len(part.split()) >= MIN_WORDS and _QUESTION.search(part) is not None


def _joined_parts(text: str) -> List[str]:
    """The sides of a sign or a texting "n" that can each stand alone (see _FRAGMENT_JOINT), in
    order; else nothing."""
    if _TOGETHER.search(text):
        return []
    fragments = [side.strip(" ,;") for side in _FRAGMENT_JOINT.split(text.strip())]
    if len(fragments) == 2 and all(map(_is_fragment, fragments)):
        return fragments
    questions = [side.strip(" ,;") for side in _QUESTION_JOINT.split(text.strip())]
    if 2 <= len(questions) <= MAX_PARTS and all(
        len(side.split()) >= MIN_WORDS and _QUESTION.search(side) for side in questions
    ):
        return questions
    return []


def _is_topic_fragment(part: str, text: str) -> bool:
    """A few words that open the message and name a topic, joined by "and", "also" or "plus" to a
    question of its own ("addiction and how much does it cost", "KAP for PTSD, and is it
    covered?"): a fragment (_is_fragment), not about how the writer is, that names more than the
    therapy itself and no other drug or treatment, before a question that does not refer back to
    it. Without the joiner the question is most often about the fragment ("adhd? would it help me
    focus", "sudden gains?? what does that mean")."""
    joined = re.match(rf"\s*{re.escape(part)}[\s?!,;]*(?:and|also|plus)\s", text, re.IGNORECASE)
    words = _CONTENT_WORD.findall(part)
    return (
        joined is not None
        and _is_fragment(part)
        and _STATEMENT.match(part) is None
        and any(_THERAPY_WORD.fullmatch(word) is None for word in words)
        and not any(_OTHER_TREATMENT.fullmatch(word) for word in words)
        and _REFERS_BACK.search(text[joined.end() :]) is None
    )


def _is_fragment(side: str) -> bool:
    """A few words that name something, with no person in them and no courtesy ("trust issus")."""
    return (
        len(side.split()) <= FRAGMENT_WORDS
        and _CONTENT_WORD.search(side) is not None
        and _PERSON.search(side) is None
        and _COURTESY.fullmatch(side.strip(" !.?,")) is None
        and _QUESTION.search(side.rstrip("?! ")) is None
    )
