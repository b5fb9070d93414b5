"""Health conditions and topics named in a message, against what the sheet covers.

The information sheet names five conditions, each with its topic (depression, anxiety, trauma,
addiction, pain); data/nlu/conditions.yml normalises patients' words to those topic keys (the
`condition` entity). Any other condition ("does it work for OCD?") gets a plain "the sheet does not
mention it", never the "conditions studied" answer that opens with "very effective … wide range of
disorders". The sheet's other topics, as patients name them, are the `topic` entity
(data/nlu/topics_named.yml), so that "rumination + trust issues?" gets both answers.
"""

from typing import List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.content.knowledge import Topic, knowledge
from bot.content.responses import utter


def named_conditions(tracker: Tracker) -> List[Text]:
    """The conditions of the latest message, normalised, in order and without repeats."""
    values = (value for value in tracker.get_latest_entity_values("condition") if isinstance(value, str))
    return list(dict.fromkeys(values))


def unnamed_condition(tracker: Tracker) -> Optional[Text]:
    """The first condition of the latest message that the sheet does not name."""
    return next((c for c in named_conditions(tracker) if knowledge().topic(c) is None), None)


def named_topics(tracker: Tracker) -> List[Topic]:
    """The sheet's topics that the latest message names (conditions and other topics), in the
    order they are named and without repeats."""
    entities = sorted(
        (e for e in tracker.latest_message.get("entities") or [] if e.get("entity") in ("condition", "topic")),
        key=lambda e: e.get("start") or 0,
    )
    topics = (knowledge().topic(str(e.get("value")).lower()) for e in entities)
    return list(dict.fromkeys(topic for topic in topics if topic is not None))


def say_not_in_sheet(dispatcher: CollectingDispatcher, condition: Text) -> None:
    utter(dispatcher, "utter_condition_not_in_sheet", condition=condition)
