"""Decides whether a reply meets what an evaluation case expects.

The same scorer judges the bot and the baseline: a reply is right when it contains one of the
texts acceptable for the expectation (the topic's answer or a quote only that topic has, the
follow-up's text, the decline, the crisis resources, the chit-chat line) and, for a decline, no
answer of any topic.
"""

from typing import List, Optional

from bot.baseline import NO_ANSWER
from bot.clinic import load_clinic
from bot.knowledge import Topic, knowledge, normalise_space
from bot.responses import render

FOLLOW_UPS = ("source", "quote", "more")
CHITCHAT = {
    "greet": ["utter_greet"],
    "goodbye": ["utter_goodbye"],
    "thank": ["utter_you_are_welcome"],
    "bot_challenge": ["utter_explain_assistant"],
    "is_doctor": ["utter_explain_assistant"],
    "help": ["utter_help"],
}
DECLINES = ["utter_out_of_scope", "utter_ask_rephrase"]


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
            return [render("utter_ask_topic")]
        if expect == "source":
            return [last_topic.source_text()]
        if expect == "quote":
            return [q.text for q in last_topic.quotes] or [render("utter_no_quote")]
        return [last_topic.more, render("utter_no_more")]
    if expect == "decline":
        return [render(name) for name in DECLINES] + [NO_ANSWER]
    if expect == "crisis":
        return [load_clinic().crisis_lines()]
    if expect in CHITCHAT:
        return [render(name) for name in CHITCHAT[expect]]
    raise ValueError(f"unknown expectation {expect!r}")


def is_right(expect: str, reply: str, last_topic: Optional[Topic]) -> bool:
    """Whether `reply` (all messages of one turn, joined) meets `expect`."""
    reply = normalise_space(reply)
    if expect == "decline" and _answers_any_topic(reply):
        return False
    return any(normalise_space(text) in reply for text in acceptable(expect, last_topic))
