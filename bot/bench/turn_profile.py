"""Where the time of a turn goes, early and late in one long conversation (`make bench`).

Runs the trained model in-process against the real action server, with Rasa's own SQL tracker
store and with this bot's rolling one (bot/ops/tracker_store.py), and profiles turns 1-10 and
191-200: the growth with conversation length shows up stage by stage.
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import logging
import pstats
import time
from pathlib import Path
from typing import Dict, List

import yaml
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import EventVerbosity
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.log_utils import configure_structlog

from bot import PROJECT_ROOT
from bot.ops.servers import MODEL
from bot.ops.tracker_store import RollingSQLTrackerStore

ENDPOINTS = PROJECT_ROOT / "endpoints.yml"

WINDOWS = ((1, 10), (191, 200))

# CPU time in the Rasa process, per stage (cProfile does not count time spent awaiting).
STAGES = {
    "tracker_store_read": SQLTrackerStore.retrieve,
    "nlu": MessageProcessor._parse_message_with_graph,
    "policies": MessageProcessor._predict_next_with_tracker,
    "action_result_validation": RemoteAction._validate_action_result,
    "tracker_store_write": SQLTrackerStore.save,
}


def _stage_ms(stats: pstats.Stats, turns: int) -> Dict[str, float]:
    found = {}
    for stage, function in STAGES.items():
        code = function.__code__
        entry = stats.stats.get((code.co_filename, code.co_firstlineno, code.co_name))  # type: ignore[attr-defined]
        found[stage] = entry[3] * 1000 / turns if entry else 0.0
    return found


async def _profile(agent: Agent, questions: List[str], round_trips: List[float]) -> Dict[str, Dict[str, float]]:
    sender = f"profile-{time.time_ns()}"
    for i in range(5):  # warm-up, in a conversation of its own
        await agent.handle_text(questions[i % len(questions)], sender_id=f"{sender}-warm")
    results: Dict[str, Dict[str, float]] = {}
    turn = 0
    for first, last in WINDOWS:
        while turn < first - 1:
            await agent.handle_text(questions[turn % len(questions)], sender_id=sender)
            turn += 1
        round_trips.clear()
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(first, last + 1):
            await agent.handle_text(questions[turn % len(questions)], sender_id=sender)
            turn += 1
        profiler.disable()
        turns = last - first + 1
        tracker = await agent.processor.get_tracker(sender)
        sent = json.dumps(tracker.current_state(EventVerbosity.ALL))
        results[f"{first}-{last}"] = {
            "turn_under_profiler": (time.perf_counter() - started) * 1000 / turns,
            **_stage_ms(pstats.Stats(profiler), turns),
            "action_server_round_trip": sum(round_trips) / max(1, len(round_trips)),
            "tracker_sent_to_actions_kb": len(sent) / 1000,
        }
    return results


def profile_long_conversation(
    actions_url: str, workdir: Path, questions: List[str]
) -> Dict[str, Dict[str, Dict[str, float]]]:
    """{store: {window: {stage: ms per turn}}} for Rasa's SQL store and the rolling one."""
    round_trips: List[float] = []
    remote_run = RemoteAction.run

    async def timed_remote_run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return await remote_run(self, *args, **kwargs)
        finally:
            round_trips.append((time.perf_counter() - started) * 1000)

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(MODEL), action_endpoint=EndpointConfig(f"{actions_url}/webhook"))
    stores = {
        "Rasa's SQL store": SQLTrackerStore(agent.domain, dialect="sqlite", db=str(workdir / "profile-sql.db")),
        "rolling SQL store": RollingSQLTrackerStore(
            agent.domain,
            max_session_events=yaml.safe_load(ENDPOINTS.read_text("utf-8"))["tracker_store"]["max_session_events"],
            dialect="sqlite",
            db=str(workdir / "profile-rolling.db"),
        ),
    }
    RemoteAction.run = timed_remote_run  # type: ignore[method-assign]
    try:
        results = {}
        for name, store in stores.items():
            agent.processor.tracker_store = store
            results[name] = asyncio.run(_profile(agent, questions, round_trips))
        return results
    finally:
        RemoteAction.run = remote_run  # type: ignore[method-assign]
