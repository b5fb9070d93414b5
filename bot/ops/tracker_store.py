"""Rasa's SQL tracker store, with a conversation session that never grows without bound.

Why: at every turn Rasa loads the current session's events from the tracker store, rebuilds the
tracker from them, lets every policy featurise the whole history and sends it all to the action
server. A session ends only after `session_expiration_time` minutes of silence, so a patient who
keeps asking (or a shared kiosk) pays for every earlier turn: in one 200-turn conversation the
median turn went from 34 ms (turns 1-10) to 282 ms (turns 191-200), three fifths of it in reading
and deserialising the events.

What: once the session holds `max_session_events` events, at the end of a turn this store starts
a new session the way Rasa does on expiry (`action_session_start`, `session_started`, the slots,
`action_listen`), so the next turn loads only the new session. The slots are always carried over
(the last topic for "where is that from?", the crisis state), each once with its current value:
Rasa's own `ActionSessionStart` re-applies every `SlotSet` of the session, which would make each
new session longer than the last. Earlier sessions stay in the database for `make report`.
"""

from __future__ import annotations

from typing import Any, List, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker


def events_in_session(tracker: DialogueStateTracker) -> int:
    """How many of the tracker's events belong to its latest session."""
    count = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        count += 1
    return count


def session_restart(tracker: DialogueStateTracker) -> List[Event]:
    """The events of a session start, carrying every slot that has a value, once.

    Made in order: Rasa loads a session as the events stamped at or after its `session_started`.
    """
    events: List[Event] = [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted()]
    events += [SlotSet(slot.name, slot.value) for slot in tracker.slots.values() if slot.value != slot.initial_value]
    return events + [ActionExecuted(ACTION_LISTEN_NAME)]


class RollingSQLTrackerStore(SQLTrackerStore):
    """A SQLTrackerStore that starts a new session, slots carried over, when one gets long.

    Configured in endpoints.yml as `type: bot.ops.tracker_store.RollingSQLTrackerStore`, with the
    SQL store's own settings and `max_session_events`.
    """

    def __init__(
        self, domain: Optional[Domain] = None, max_session_events: Optional[int] = None, **kwargs: Any
    ) -> None:
        # Set in the endpoints file only, where each deployment chooses it.
        if max_session_events is None:
            raise ValueError("the tracker_store of the endpoints file needs max_session_events")
        if int(max_session_events) < 10:
            raise ValueError("max_session_events must be at least 10")
        super().__init__(domain, **kwargs)
        self.max_session_events = int(max_session_events)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Saves the turn; after a long session's last turn, the start of the next session too.

        The session-start events go into the tracker before it is saved, so that Rasa's count of
        the events already stored (by session) stays right.
        """
        if tracker.latest_action_name == ACTION_LISTEN_NAME and events_in_session(tracker) >= self.max_session_events:
            for event in session_restart(tracker):
                tracker.update(event)
        await super().save(tracker)
