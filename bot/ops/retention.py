"""Deletes conversations older than the clinic's retention period from the tracker store.

Works on whatever SQL tracker store endpoints.yml names (SQLite by default, PostgreSQL too),
through Rasa's own SQLTrackerStore, so the table layout is Rasa's.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_tracker_store
from rasa.utils.endpoints import read_endpoint_config

SECONDS_PER_DAY = 24 * 60 * 60


def open_store(endpoints_file: Path) -> SQLTrackerStore:
    """The SQL tracker store configured in an endpoints file (Rasa's `SQL` type, or a subclass
    such as bot.ops.tracker_store.RollingSQLTrackerStore), created the way Rasa creates it."""
    config = read_endpoint_config(str(endpoints_file), "tracker_store")
    store = create_tracker_store(config) if config is not None else None
    if not isinstance(store, SQLTrackerStore):
        raise ValueError(f"{endpoints_file}: no SQL tracker_store configured")
    return store


def prune(store: SQLTrackerStore, days: int, now: Optional[float] = None) -> int:
    """Deletes every conversation whose last event is older than `days`; returns how many."""
    if days < 0:
        raise ValueError("days must not be negative")
    cutoff = (now if now is not None else time.time()) - days * SECONDS_PER_DAY
    events = SQLTrackerStore.SQLEvent.__table__
    old = sa.select(events.c.sender_id).group_by(events.c.sender_id).having(sa.func.max(events.c.timestamp) < cutoff)
    with store.engine.begin() as connection:
        senders = [row[0] for row in connection.execute(old)]
        if senders:
            connection.execute(events.delete().where(events.c.sender_id.in_(senders)))
    return len(senders)
