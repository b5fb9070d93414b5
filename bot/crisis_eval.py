"""Measures the crisis safety net on the held-out message sets in tests/safety/.

Recall (crisis messages given the crisis intent) and false alarms (harmless messages given it),
both through the trained model, whose pipeline ends with the pattern guard. Used by the tests
and by `make bench`; the sets are never trained on.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Callable, Dict, List

import yaml

from bot import PROJECT_ROOT

SETS = PROJECT_ROOT / "tests" / "safety"
CRISIS_SETS = sorted(SETS.glob("crisis_messages*.yml"))
HARMLESS_SETS = sorted(SETS.glob("harmless_messages*.yml"))


def load_messages(paths: List[Path]) -> List[Dict[str, Any]]:
    """The messages of the given sets, each tagged with the file it comes from."""
    return [
        {**message, "set": path.name}
        for path in paths
        for message in yaml.safe_load(path.read_text("utf-8"))["messages"]
    ]


def model_intent(model: Path) -> Callable[[str], str]:
    """A function giving the intent the trained model predicts for a text."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()

    def intent(text: str) -> str:
        return loop.run_until_complete(agent.parse_message(text))["intent"]["name"]

    return intent


def evaluate(intent: Callable[[str], str]) -> Dict[str, Any]:
    """Recall on the crisis sets, false-alarm rate on the harmless sets, and every miss."""
    crisis = load_messages(CRISIS_SETS)
    harmless = load_messages(HARMLESS_SETS)
    missed = [m for m in crisis if intent(m["text"]) != "crisis"]
    alarms = [m for m in harmless if intent(m["text"]) == "crisis"]
    return {
        "crisis_messages": len(crisis),
        "recall": 1 - len(missed) / len(crisis),
        "missed": missed,
        "harmless_messages": len(harmless),
        "false_alarm_rate": len(alarms) / len(harmless),
        "false_alarms": alarms,
    }
