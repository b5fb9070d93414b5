"""The patient's verdict on an answer: "Did this answer your question?" and what follows.

After an answer, clients that show buttons get Yes / No, whose payloads carry the `feedback`
intent with the verdict and the topic answered (`/feedback{"feedback_helpful": "no", ...}`), so
the verdict is stored in the tracker store as an ordinary user event that `make report` reads.
On text-only channels the patient may write it instead ("that didn't answer my question": the
`answer_missed` intent, a "no" on the last topic).
"""

import json
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import RICH_CHANNELS
from actions.suggestions import suggest_topics

HELPFUL, TOPIC = "feedback_helpful", "feedback_topic"
VERDICTS = {"yes": "Yes", "no": "No"}


def feedback_buttons(topic_key: Text) -> List[Dict[Text, Text]]:
    """Yes and No, each sending the `feedback` intent with the verdict and the topic."""
    return [
        {"title": title, "payload": "/feedback" + json.dumps({HELPFUL: verdict, TOPIC: topic_key})}
        for verdict, title in VERDICTS.items()
    ]


def ask_for_feedback(dispatcher: CollectingDispatcher, tracker: Tracker, topic_key: Text) -> None:
    """Asks whether the answer helped, on channels that show buttons and outside a crisis
    (a patient in crisis is pointed to people who can help, not asked to rate an answer)."""
    if tracker.get_latest_input_channel() in RICH_CHANNELS and not tracker.get_slot("in_crisis"):
        dispatcher.utter_message(response="utter_ask_feedback", buttons=feedback_buttons(topic_key))


def verdict(tracker: Tracker) -> Optional[Text]:
    """ "yes" or "no" for the latest message, or None when it carries no verdict."""
    if (tracker.latest_message.get("intent") or {}).get("name") == "answer_missed":
        return "no"
    value = next(tracker.get_latest_entity_values(HELPFUL), None)
    return value if isinstance(value, str) and value in VERDICTS else None


class ActionAcknowledgeFeedback(Action):
    """Thanks the patient in one line; after a "no", offers other ways to ask and the care team."""

    def name(self) -> Text:
        return "action_acknowledge_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if verdict(tracker) == "no":
            suggest_topics(dispatcher, "utter_feedback_missed")
        else:
            dispatcher.utter_message(response="utter_feedback_helped")
        return []
