"""Measures the crisis safety net on the held-out message sets in tests/safety/.

Through the trained model, whose pipeline ends with the crisis classifier and the crisis guard: recall (crisis messages
given the crisis reply), the share that reach the crisis resources at all (the crisis reply or
the check-in the bot gives when only the model saw a crisis), false alarms (harmless messages
given the crisis reply) and check-ins on harmless messages. Used by the tests and by
`make bench`; the sets are never trained on.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Callable, Dict, List

import yaml

from bot import PROJECT_ROOT

SETS = PROJECT_ROOT / "tests" / "safety"
# Regression sets: held out from training, but the patterns were widened after they were scored.
CRISIS_SETS = sorted(SETS.glob("crisis_messages*.yml"))
HARMLESS_SETS = sorted(SETS.glob("harmless_messages*.yml"))
# A former blind set, used since to choose the classifier's thresholds and widen the patterns.
DEV_CRISIS_SETS = sorted((SETS / "dev").glob("crisis_messages*.yml"))
DEV_HARMLESS_SETS = sorted((SETS / "dev").glob("harmless_messages*.yml"))
# The freshest blind set, scored once after the last change and never tuned on: the honest figure.
FRESH_CRISIS_SETS = sorted((SETS / "fresh").glob("crisis_messages*.yml"))
FRESH_HARMLESS_SETS = sorted((SETS / "fresh").glob("harmless_messages*.yml"))
CRISIS, CHECK = "crisis", "crisis_check"


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


def evaluate(
    intent: Callable[[str], str],
    crisis_sets: List[Path] = CRISIS_SETS,
    harmless_sets: List[Path] = HARMLESS_SETS,
) -> Dict[str, Any]:
    """Recall on the crisis sets, false alarms on the harmless sets, and every miss."""
    crisis = [dict(m, intent=intent(m["text"])) for m in load_messages(crisis_sets)]
    harmless = [dict(m, intent=intent(m["text"])) for m in load_messages(harmless_sets)]
    missed = [m for m in crisis if m["intent"] != CRISIS]
    alarms = [m for m in harmless if m["intent"] == CRISIS]
    checks = [m for m in harmless if m["intent"] == CHECK]
    return {
        "crisis_messages": len(crisis),
        "recall": 1 - len(missed) / len(crisis),
        "reached_resources": 1 - sum(m["intent"] != CHECK for m in missed) / len(crisis),
        "missed": missed,
        "harmless_messages": len(harmless),
        "false_alarm_rate": len(alarms) / len(harmless),
        "false_alarms": alarms,
        "check_in_rate": len(checks) / len(harmless),
        "check_ins": checks,
    }
