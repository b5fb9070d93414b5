"""`python -m bot prune` deletes conversations older than the retention period, and only those."""

import asyncio
import time

import yaml
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.ops.retention import SECONDS_PER_DAY, open_store, prune
from tests.support.bot_cli import run_bot


def conversation(sender, days_ago):
    stamp = time.time() - days_ago * SECONDS_PER_DAY
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_listen", timestamp=stamp),
            UserUttered("how effective is KAP", {"name": "ask_effectiveness"}, timestamp=stamp + 1),
        ],
    )


def fill(store):
    for sender, days_ago in (("old-1", 40), ("old-2", 31), ("recent", 2)):
        asyncio.run(store.save(conversation(sender, days_ago)))


def senders(store):
    return sorted(asyncio.run(store.keys()))


def endpoints_for(tmp_path):
    path = tmp_path / "endpoints.yml"
    path.write_text(
        yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(tmp_path / "c.db")}})
    )
    return path


def test_prune_deletes_only_conversations_older_than_the_period(tmp_path):
    store = open_store(endpoints_for(tmp_path))
    fill(store)
    assert prune(store, days=30) == 2
    assert senders(store) == ["recent"]
    assert prune(store, days=30) == 0


def test_the_prune_command_uses_the_endpoints_tracker_store(tmp_path):
    endpoints = endpoints_for(tmp_path)
    fill(open_store(endpoints))
    result = run_bot("prune", "--days", "35", "--endpoints", str(endpoints))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Deleted 1 conversation" in result.stdout
    assert senders(open_store(endpoints)) == ["old-2", "recent"]
