"""Health conditions named in a message (the `condition` entity), against what the sheet covers.

The information sheet names five conditions, each with its topic (depression, anxiety, trauma,
addiction, pain); data/nlu/conditions.yml normalises patients' words to those topic keys. Any other
condition ("does it work for OCD?") gets a plain "the sheet does not mention it", never the
"conditions studied" answer that opens with "very effective … wide range of disorders".
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


def condition_topic(tracker: Tracker) -> Optional[Topic]:
    """The topic of the one condition the sheet names in the latest message, if there is one."""
    topics = [knowledge().topic(c) for c in named_conditions(tracker)]
    covered = [topic for topic in topics if topic is not None]
    return covered[0] if len(covered) == 1 else None


def say_not_in_sheet(dispatcher: CollectingDispatcher, condition: Text) -> None:
    utter(dispatcher, "utter_condition_not_in_sheet", condition=condition)
