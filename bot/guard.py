"""What stands between the open internet and the bot: input screening and a guaranteed reply.

Every channel hands a patient's message to `screen` before Rasa sees it, and falls back on
`safety_net_reply` when the bot produced nothing (the action server down or too slow), so that a
patient is never left without an answer, and one in crisis always gets the crisis resources.
"""

from __future__ import annotations

import functools
import re
from typing import Dict

from bot import PROJECT_ROOT
from bot.clinic import current_clinic
from bot.crisis_guard import is_crisis, load_patterns
from bot.responses import render

# Control characters other than tab and newline, and Unicode "format" characters used to hide
# text (zero-width, bidi overrides). Right-to-left text itself is kept.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

EMPTY_MESSAGE = "/empty_message"
MESSAGE_TOO_LONG = "/message_too_long"
CRISIS = "/crisis"


@functools.lru_cache(maxsize=None)
def _crisis_patterns():
    return load_patterns(PROJECT_ROOT / "data" / "safety" / "crisis_patterns.yml")


def clean(text: str) -> str:
    """The message without control and invisible formatting characters."""
    return _INVISIBLE.sub("", text)


def screen(text: str) -> str:
    """What to hand to Rasa for a patient's message.

    Crisis language wins over everything, even in an overlong message; an empty message and one
    over the clinic's length cap are not parsed but answered through their own intents.
    """
    text = clean(text)
    if is_crisis(text, _crisis_patterns()):
        return text if len(text) <= current_clinic().max_message_chars else CRISIS
    if not text.strip():
        return EMPTY_MESSAGE
    if len(text) > current_clinic().max_message_chars:
        return MESSAGE_TOO_LONG
    return text


def safety_net_reply(text: str) -> Dict[str, str]:
    """A reply when the bot gave none: the crisis resources, or an apology with the contact.

    Shaped like a bot message (text, and the response it comes from) so channels send it as one.
    """
    response = "utter_crisis" if is_crisis(clean(text), _crisis_patterns()) else "utter_technical_problem"
    return {"text": render(response), "utter_action": response}
