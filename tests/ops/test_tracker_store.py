"""The rolling SQL tracker store: long conversations start new sessions and lose nothing."""

import asyncio
import sqlite3
import uuid

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import PROJECT_ROOT
from bot.content.clinic import load_clinic
from bot.ops.tracker_store import RollingSQLTrackerStore, events_in_session
from tests.support.rest_turns import say, texts

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


def a_turn(topic):
    return [
        UserUttered("how fast does it work", {"name": "ask_speed", "confidence": 1.0}),
        ActionExecuted("action_answer_question"),
        BotUttered("an answer"),
        SlotSet("last_topic", topic),
        ActionExecuted("action_listen"),
    ]


def test_a_long_session_rolls_over_with_each_slot_carried_once(tmp_path):
    store = RollingSQLTrackerStore(DOMAIN, max_session_events=20, dialect="sqlite", db=str(tmp_path / "t.db"))

    async def converse():
        lengths = []
        for turn in range(30):
            tracker = await store.retrieve("patient") or DialogueStateTracker("patient", DOMAIN.slots)
            if turn == 1:
                tracker.update(SlotSet("in_crisis", True))
            for event in a_turn("speed" if turn % 2 else "anxiety"):
                tracker.update(event)
            await store.save(tracker)
            lengths.append(len((await store.retrieve("patient")).events))
        return lengths, await store.retrieve("patient"), await store.retrieve_full_tracker("patient")

    lengths, latest, full = asyncio.run(converse())
    assert max(lengths) <= 20 + len(a_turn("x")) + 4 + len(DOMAIN.slots)
    assert latest.get_slot("last_topic") == "speed" and latest.get_slot("in_crisis") is True
    events = list(latest.events)
    start = next(i for i, e in enumerate(events) if isinstance(e, SessionStarted))
    end = next(i for i, e in enumerate(events) if i > start and isinstance(e, ActionExecuted))
    carried = [(e.key, e.value) for e in events[start + 1 : end]]
    assert sorted(key for key, _ in carried) == ["in_crisis", "last_topic"], "each slot carried once"
    assert ("in_crisis", True) in carried
    assert sum(isinstance(e, SessionStarted) for e in full.events) >= 5
    assert sum(isinstance(e, UserUttered) for e in full.events) == 30, "no turn lost"


def test_a_short_session_is_left_alone(tmp_path):
    store = RollingSQLTrackerStore(DOMAIN, max_session_events=100, dialect="sqlite", db=str(tmp_path / "t.db"))
    tracker = DialogueStateTracker("patient", DOMAIN.slots)
    for event in a_turn("speed"):
        tracker.update(event)
    asyncio.run(store.save(tracker))
    assert events_in_session(asyncio.run(store.retrieve("patient"))) == len(a_turn("speed"))


def test_a_too_small_limit_is_refused():
    with pytest.raises(ValueError, match="max_session_events"):
        RollingSQLTrackerStore(DOMAIN, max_session_events=3, dialect="sqlite", db=":memory:")
    with pytest.raises(ValueError, match="needs max_session_events"):
        RollingSQLTrackerStore(DOMAIN, dialect="sqlite", db=":memory:")


def test_the_running_bot_rolls_a_long_conversation_and_keeps_the_follow_ups_and_the_crisis_state(servers):
    sender = f"long-{uuid.uuid4().hex[:8]}"
    assert "988" in "\n".join(texts(say(servers, sender, "i dont want to be here anymore")))
    for question in ["how fast does it work?", "does it help anxiety?", "what about ptsd?"] * 12:
        answer = "\n".join(texts(say(servers, sender, question)))
        assert answer.endswith(load_clinic().lines.reminder), (question, answer)
    source = "\n".join(texts(say(servers, sender, "where is that from?")))
    assert "Drozdz" in source
    with sqlite3.connect(servers.tracker_db) as db:
        sessions = db.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'session_started'", (sender,)
        ).fetchone()[0]
    assert sessions >= 3, "the conversation went on in new sessions"
