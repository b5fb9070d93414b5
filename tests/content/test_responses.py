"""The bot's own lines in domain.yml, as Rasa's own response filter picks them."""

import itertools

import pytest
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.shared.core.domain import Domain

from bot import PROJECT_ROOT
from bot.content.clinic import load_clinic
from bot.content.responses import render, responses

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))
CONDITIONAL = sorted(name for name, variants in responses().items() if any("condition" in v for v in variants))
# What the crisis guard sets: who is at risk, and a poisoning or nothing.
CRISIS_SLOTS = [
    {"in_crisis": True, "crisis_subject": subject, "crisis_kind": kind}
    for subject, kind in itertools.product(["self", "someone_else"], ["poisoning", None])
]


def slot_combinations(response):
    """Every combination of values (and no value) of the slots a response's conditions name."""
    names = sorted({c["name"] for v in responses()[response] for c in v.get("condition", [])})
    values = [[*_values(name), None] for name in names]
    return [dict(zip(names, combination, strict=True)) for combination in itertools.product(*values)]


def _values(name):
    slot = next(slot for slot in DOMAIN.slots if slot.name == name)
    return [True, False] if slot.type_name == "bool" else list(slot.values)


@pytest.mark.parametrize("response", CONDITIONAL)
def test_at_most_one_conditional_variant_holds_for_any_slot_values(response):
    # Rasa picks at random among the variants that hold: two at once would word a reply by chance.
    variants = ResponseVariationFilter(responses())
    for slots in slot_combinations(response):
        matching = variants.responses_for_utter_action(response, "rest", slots)
        assert len(matching) == 1, (slots, [v.get("condition") for v in matching])


@pytest.mark.parametrize("response", ["utter_goodbye", "utter_you_are_welcome"])
@pytest.mark.parametrize("slots", CRISIS_SLOTS, ids=lambda s: f"{s['crisis_subject']}-{s['crisis_kind']}")
def test_after_a_crisis_thanks_and_goodbyes_carry_the_crisis_lines_worded_for_who_and_what(response, slots):
    clinic = load_clinic()
    text = render(response, slots)
    assert text.endswith(clinic.crisis_lines())
    assert (clinic.lines.poisoning in text) == (slots["crisis_kind"] == "poisoning")
    if slots["crisis_kind"] is None:
        assert (clinic.lines.someone_else in text) == (slots["crisis_subject"] == "someone_else")
