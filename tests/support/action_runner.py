"""Builds real rasa_sdk Trackers for the action tests, as rasa_sdk's own tests do."""

import asyncio
from typing import Any, Dict, List, Optional

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import PROJECT_ROOT

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text("utf-8"))


def tracker_for(
    intent: str,
    text: str = "",
    last_topic: Optional[str] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    channel: str = "rest",
    slots: Optional[Dict[str, Any]] = None,
    entities: Optional[Dict[str, str]] = None,
) -> Tracker:
    """A tracker whose latest message has `intent` (and `entities`, as {entity: value}), with the
    last_topic (and other) slots."""
    latest = {
        "intent": {"name": intent, "confidence": 1.0},
        "text": text or intent,
        "entities": [{"entity": name, "value": value} for name, value in (entities or {}).items()],
    }
    return Tracker(
        sender_id="test-user",
        slots={"last_topic": last_topic, **(slots or {})},
        latest_message=latest,
        events=(events or [])
        + [{"event": "user", "text": latest["text"], "parse_data": latest, "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_action(action, tracker: Tracker):
    """Runs an action; returns (messages sent, events returned)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def texts(messages) -> List[str]:
    return [m["text"] for m in messages if m.get("text")]


def responses(messages) -> List[str]:
    return [m["response"] for m in messages if m.get("response")]
