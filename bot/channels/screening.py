"""What stands between the open internet and the bot: input screening and a guaranteed reply.

Every channel hands a patient's message to `screen` before Rasa sees it, and falls back on
`safety_net_reply` when the bot produced nothing (the action server down or too slow), so that a
patient is never left without an answer, and one in crisis always gets the crisis resources.
"""

from __future__ import annotations

import json
import re
from typing import Dict

from bot.content.clinic import current_clinic
from bot.content.responses import render
from bot.nlu.crisis_patterns import crisis_patterns

# Control characters other than tab and newline, and Unicode "format" characters used to hide
# text (zero-width, bidi overrides). Right-to-left text itself is kept.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

EMPTY_MESSAGE = "/empty_message"
MESSAGE_TOO_LONG = "/message_too_long"
CRISIS = "/crisis"


def clean(text: str) -> str:
    """The message without control and invisible formatting characters."""
    return _INVISIBLE.sub("", text)


def screen(text: str) -> str:
    """What to hand to Rasa for a patient's message.

    Crisis language wins over everything, even in an overlong message; an empty message and one
    over the clinic's length cap are not parsed but answered through their own intents.
    """
    text = clean(text)
    signal = crisis_patterns().find_in_message(text)
    if signal is not None:
        # Too long to parse: the crisis intent, with who is at risk and whether it is a poisoning.
        return text if len(text) <= current_clinic().max_message_chars else CRISIS + json.dumps(signal.slot_values())
    if not text.strip():
        return EMPTY_MESSAGE
    if len(text) > current_clinic().max_message_chars:
        return MESSAGE_TOO_LONG
    return text


def safety_net_reply(text: str) -> Dict[str, str]:
    """A reply when the bot gave none: the crisis resources (worded for the message, as the bot
    would), or an apology with the contact and the crisis help line.

    Shaped like a bot message (text, and the response it comes from) so channels send it as one.
    """
    signal = crisis_patterns().find_in_message(clean(text))
    if signal is not None:
        return {"text": render("utter_crisis", signal.slot_values()), "utter_action": "utter_crisis"}
    return {"text": render("utter_technical_problem"), "utter_action": "utter_technical_problem"}
