"""Health conditions and topics named in a message, against what the sheet covers.

The information sheet names five conditions, each with its topic (depression, anxiety, trauma,
addiction, pain); data/nlu/conditions.yml normalises patients' words to those topic keys (the
`condition` entity). Any other condition ("does it work for OCD?") gets a plain "the sheet does not
mention it", never the "conditions studied" answer that opens with "very effective … wide range of
disorders". The sheet's other topics, as patients name them, are the `topic` entity
(data/nlu/topics_named.yml), so that "rumination + trust issues?" gets both answers; so are the
clauses the intent model read as one of the sheet's questions (the `clause_intent` entity of
bot/nlu/intent_classifier.py: "drinking problem and back pain, either?"), except next to a
condition the sheet does not name; and a clause read as a kind of question the bot declines ("...
and is it on the NHS?") is declined after the answers.
"""

from typing import List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.content.knowledge import Topic, knowledge
from bot.content.responses import responses, utter

TOPIC_ENTITIES = ("condition", "topic")
# What a clause of the message asks, as the intent model read it (bot/nlu/intent_classifier.py).
CLAUSE = "clause_intent"
# The declines of a kind of question (utter_decline_* in domain.yml).
DECLINES = frozenset(name for name in responses() if name.startswith("utter_decline_"))


def named_conditions(tracker: Tracker) -> List[Text]:
    """The conditions of the latest message, normalised, in order and without repeats."""
    values = (value for value in tracker.get_latest_entity_values("condition") if isinstance(value, str))
    return list(dict.fromkeys(values))


def unnamed_condition(tracker: Tracker) -> Optional[Text]:
    """The first condition of the latest message that the sheet does not name."""
    return next((c for c in named_conditions(tracker) if knowledge().topic(c) is None), None)


def named_topics(tracker: Tracker, clauses: bool = True) -> List[Topic]:
    """The sheet's topics that the latest message names (conditions, other topics and, unless
    told not to, clauses read as one of the sheet's questions), in the order they are named and
    without repeats."""
    kinds = (*TOPIC_ENTITIES, CLAUSE) if clauses else TOPIC_ENTITIES
    entities = sorted(
        (e for e in tracker.latest_message.get("entities") or [] if e.get("entity") in kinds),
        key=lambda e: e.get("start") or 0,
    )
    topics = (
        knowledge().topic_for_intent(e.get("value"))
        if e.get("entity") == CLAUSE
        else knowledge().topic(str(e.get("value")).lower())
        for e in entities
    )
    return list(dict.fromkeys(topic for topic in topics if topic is not None))


def _clause_intents(tracker: Tracker) -> List[Text]:
    """What the clauses of the latest message ask (intents), in order and without repeats."""
    values = (str(e.get("value")) for e in tracker.latest_message.get("entities") or [] if e.get("entity") == CLAUSE)
    return list(dict.fromkeys(values))


def declined_clauses(tracker: Tracker) -> List[Text]:
    """The kinds of question the bot declines (the `decline_*` intents, each with its response)
    that clauses of the latest message ask."""
    return [intent for intent in _clause_intents(tracker) if f"utter_{intent}" in DECLINES]


def say_not_in_sheet(dispatcher: CollectingDispatcher, condition: Text) -> None:
    utter(dispatcher, "utter_condition_not_in_sheet", condition=condition)
