"""The bot's own lines from domain.yml, filled in with the clinic's details: the one place that
does it. Actions send a response through `utter` (Rasa renders it with the values given); the
channels, when Rasa cannot reply, and the benchmark, to recognise a reply, use `render`.
"""

import functools
from typing import Any, Dict, Mapping, Optional

import yaml

from bot import PROJECT_ROOT
from bot.content.clinic import current_clinic

DOMAIN_FILE = PROJECT_ROOT / "domain.yml"


@functools.lru_cache(maxsize=None)
def responses() -> Dict[str, Any]:
    """The responses of domain.yml, by name."""
    return yaml.safe_load(DOMAIN_FILE.read_text("utf-8"))["responses"]


def render(response: str, slots: Optional[Mapping[str, Any]] = None, **values: Any) -> str:
    """The text of a domain response with its {placeholders} filled from clinic.yml (and from
    `values`, for a response's own placeholders).

    Of a response's variants, the one whose slot conditions all hold is taken (the domain's are
    exclusive, as Rasa picks at random among those that hold: tests/content/test_responses.py),
    else the one without conditions.
    """
    slots = slots or {}
    variant = next(
        v for v in responses()[response] if all(slots.get(c["name"]) == c["value"] for c in v.get("condition", []))
    )
    return variant["text"].format(**{**current_clinic().template_values(), **values})


def utter(dispatcher: Any, response: str, **values: Any) -> None:
    """Has an action send a domain response, its {placeholders} filled from clinic.yml (as now)
    and from `values` (the response's own, such as buttons or a condition's name)."""
    dispatcher.utter_message(response=response, **{**current_clinic().template_values(), **values})
