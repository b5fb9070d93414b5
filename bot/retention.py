"""Deletes conversations older than the clinic's retention period from the tracker store.

Works on whatever SQL tracker store endpoints.yml names (SQLite by default, PostgreSQL too),
through Rasa's own SQLTrackerStore, so the table layout is Rasa's.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.utils.endpoints import read_endpoint_config

SECONDS_PER_DAY = 24 * 60 * 60


def open_store(endpoints_file: Path) -> SQLTrackerStore:
    """The SQL tracker store configured in an endpoints file."""
    config = read_endpoint_config(str(endpoints_file), "tracker_store")
    if config is None or config.type != "SQL":
        raise ValueError(f"{endpoints_file}: no SQL tracker_store configured")
    return SQLTrackerStore(**config.kwargs)


def prune(store: SQLTrackerStore, days: int, now: Optional[float] = None) -> int:
    """Deletes every conversation whose last event is older than `days`; returns how many."""
    if days < 0:
        raise ValueError("days must not be negative")
    cutoff = (now if now is not None else time.time()) - days * SECONDS_PER_DAY
    events = SQLTrackerStore.SQLEvent.__table__
    old = (
        sa.select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(sa.func.max(events.c.timestamp) < cutoff)
    )
    with store.engine.begin() as connection:
        senders = [row[0] for row in connection.execute(old)]
        if senders:
            connection.execute(events.delete().where(events.c.sender_id.in_(senders)))
    return len(senders)
