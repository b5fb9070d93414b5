"""Example questions offered as buttons, so that a patient who is stuck has somewhere to go."""

from typing import Any, Dict, List, Text

from rasa_sdk.executor import CollectingDispatcher

from bot.content.knowledge import knowledge
from bot.content.responses import utter


def suggestion_buttons() -> List[Dict[Text, Any]]:
    """One button per suggested topic: its example question, sending the topic's intent."""
    return [{"title": topic.example, "payload": f"/{topic.intent}"} for topic in knowledge().suggestions]


def suggest_topics(dispatcher: CollectingDispatcher, response: Text) -> None:
    """Sends a domain response (its placeholders filled from clinic.yml) with the example
    questions as buttons."""
    utter(dispatcher, response, buttons=suggestion_buttons())
