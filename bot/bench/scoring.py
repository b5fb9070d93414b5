"""Decides whether a reply meets what an evaluation case expects, and scores conversations.

The same scorer judges the bot and the baseline: a reply is right when it contains one of the
texts acceptable for the expectation (the topic's answer or a quote only that topic has, the
follow-up's text, the decline with the care team's contact, the crisis resources, the chit-chat
line) and, for a decline, no answer of any topic. A "not understood" reply is never right (as
patients see it, a fallback is a miss). A message with two questions expects a list, and is
right only when the reply meets every part.
"""

import uuid
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Union

import yaml

from bot import PROJECT_ROOT
from bot.bench.baseline import NO_ANSWER
from bot.content.clinic import load_clinic
from bot.content.knowledge import Topic, knowledge, normalise_space
from bot.content.responses import render, responses

EVAL_SET = PROJECT_ROOT / "tests" / "eval_conversations.yml"
# Patient messages written blind (from the source document and the scope only), never trained on.
BLIND_SETS = sorted((PROJECT_ROOT / "tests" / "blind").glob("*.yml"))
FOLLOW_UPS = ("source", "quote", "more")
# What a follow-up asked before any answer gets (actions/answers.py): "where is that from?" the
# overview of all the sources, "tell me more" what KAP is.
FIRST_ANSWER_OF = {"source": "sources", "more": "what_is_kap"}
CHITCHAT = {
    "greet": ["utter_greet"],
    "goodbye": ["utter_goodbye"],
    "thank": ["utter_you_are_welcome"],
    "bot_challenge": ["utter_explain_assistant"],
    "is_doctor": ["utter_explain_assistant"],
    "help": ["utter_help"],
}
# The off-topic decline and one decline per kind of question (utter_decline_* in domain.yml).
DECLINES = ["utter_out_of_scope", *sorted(name for name in responses() if name.startswith("utter_decline_"))]


def load_conversations(path: Path = EVAL_SET) -> List[Dict[str, Any]]:
    """The conversations of an evaluation or blind set, each with its category and turns."""
    return yaml.safe_load(path.read_text("utf-8"))["conversations"]


# Categories of the evaluation sets, in report order (`fact`: a question about KAP's effectiveness).
CATEGORIES = ("fact", "out_of_scope", "crisis", "follow_up", "chitchat", "odd_input")
Expectation = Union[str, List[str]]


def _unique_quotes(topic: Topic) -> List[str]:
    others = [q.text for t in knowledge().topics.values() if t is not topic for q in t.quotes]
    return [q.text for q in topic.quotes if q.text not in others]


def _answers_any_topic(reply: str) -> bool:
    return any(
        text in reply
        for topic in knowledge().topics.values()
        for text in [topic.answer] + [q.text for q in topic.quotes]
    )


def acceptable(expect: str, last_topic: Optional[Topic]) -> List[str]:
    """The texts of which a right reply contains at least one."""
    topic = knowledge().topic(expect)
    if topic is not None:
        return [topic.answer] + _unique_quotes(topic)
    if expect in FOLLOW_UPS:
        if last_topic is None:
            first = FIRST_ANSWER_OF.get(expect)
            return [knowledge().topic(first).answer] if first else [render("utter_ask_topic")]
        if expect == "source":
            return [last_topic.source_text()]
        if expect == "quote":
            return [q.text for q in last_topic.quotes] or [render("utter_no_quote")]
        return [last_topic.more, render("utter_no_more")]
    if expect == "decline":
        # A condition the sheet does not name is declined with the condition's name in the text.
        unnamed_condition = render("utter_condition_not_in_sheet", condition="\0").split("\0")[0]
        return [render(name) for name in DECLINES] + [NO_ANSWER, unnamed_condition]
    if expect == "crisis":
        return [load_clinic().crisis_lines()]
    if expect in CHITCHAT:
        return [render(name) for name in CHITCHAT[expect]]
    raise ValueError(f"unknown expectation {expect!r}")


def is_right(expect: Expectation, reply: str, last_topic: Optional[Topic]) -> bool:
    """Whether `reply` (all messages of one turn, joined) meets `expect` (every part of a list)."""
    reply = normalise_space(reply)
    parts = expect if isinstance(expect, list) else [expect]
    if parts == ["decline"] and _answers_any_topic(reply):
        return False
    return all(any(normalise_space(text) in reply for text in acceptable(part, last_topic)) for part in parts)


def topic_after(part: str, last_topic: Optional[Topic]) -> Optional[Topic]:
    """The last topic answered after a turn that expects `part`."""
    if last_topic is None and part in FIRST_ANSWER_OF:
        return knowledge().topic(FIRST_ANSWER_OF[part])
    return knowledge().topic(part) or last_topic


def turn_category(conversation_category: str, expect: Expectation) -> str:
    """The category a turn is counted in: a plain question inside a follow-up or crisis
    conversation counts as a fact question."""
    parts = expect if isinstance(expect, list) else [expect]
    if conversation_category == "follow_up" and not set(parts) & set(FOLLOW_UPS):
        return "fact"
    if conversation_category == "crisis" and "crisis" not in parts:
        return "fact"
    return conversation_category


def score_conversations(conversations: List[Dict[str, Any]], reply: Callable[[str, str], str]) -> Dict[str, Any]:
    """Runs every conversation through `reply(sender, text)`, a new sender each, and scores
    each turn; returns the share right, overall and per category, and every miss."""
    tally = {category: [0, 0] for category in CATEGORIES}
    misses = []
    for conversation in conversations:
        sender = f"eval-{uuid.uuid4().hex[:10]}"
        last_topic = None
        for turn in conversation["turns"]:
            expect = turn["expect"]
            category = turn_category(conversation["category"], expect)
            text = reply(sender, turn["user"])
            right = is_right(expect, text, last_topic)
            tally[category][0] += right
            tally[category][1] += 1
            if not right:
                misses.append({"user": turn["user"], "expect": expect, "category": category, "reply": text[:160]})
            for part in expect if isinstance(expect, list) else [expect]:
                last_topic = topic_after(part, last_topic)
    right, total = sum(r for r, _ in tally.values()), sum(n for _, n in tally.values())
    return {
        "overall": right / total,
        "turns": total,
        "per_category": {c: {"accuracy": r / n if n else None, "turns": n} for c, (r, n) in tally.items()},
        "misses": misses,
    }
