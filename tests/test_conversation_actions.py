"""Greeting, help, fallback, declines and crisis, with a real Tracker and CollectingDispatcher."""

import re

import pytest
import yaml

from actions.conversation import (
    ActionAskRephrase,
    ActionCrisisSupport,
    ActionDeclineOutOfScope,
    ActionExplainAssistant,
    ActionGreet,
    ActionShowHelp,
)
from bot.clinic import CLINIC_FILE, load_clinic
from bot.knowledge import knowledge
from tests.conversation import DOMAIN, responses, run_action, tracker_for

CLINIC = load_clinic()


def filled(message):
    """The text Rasa will send: the domain response with the action's values filled in."""
    template = DOMAIN["responses"][message["response"]][0]["text"]
    return template.format(**{k: v for k, v in message.items() if isinstance(v, str)})


def test_greeting_discloses_an_automated_assistant_and_how_to_reach_a_person():
    messages, _ = run_action(ActionGreet(), tracker_for("greet"))
    assert responses(messages) == ["utter_greet", "utter_suggestions"]
    greeting = filled(messages[0])
    assert "automated assistant" in greeting and "not medical advice" in greeting
    assert CLINIC.phone in greeting
    titles = [b["title"] for b in messages[1]["buttons"]]
    assert titles == [t.example for t in knowledge().suggestions]


@pytest.mark.parametrize("action,response", [(ActionShowHelp(), "utter_help"),
                                             (ActionAskRephrase(), "utter_ask_rephrase")])
def test_help_and_fallback_offer_example_questions_as_buttons(action, response):
    messages, _ = run_action(action, tracker_for("help"))
    assert responses(messages) == [response]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads and all(p.startswith("/ask_") for p in payloads)


def test_are_you_a_doctor_says_no_and_gives_the_care_team():
    messages, _ = run_action(ActionExplainAssistant(), tracker_for("ask_is_doctor"))
    text = filled(messages[0])
    assert "not a doctor" in text and CLINIC.phone in text and CLINIC.email in text


def test_out_of_scope_declines_with_contact_and_states_no_fact_from_the_document():
    messages, _ = run_action(ActionDeclineOutOfScope(), tracker_for("out_of_scope"))
    text = filled(messages[0])
    assert CLINIC.phone in text
    assert not re.search(r"60|70|%|statistically|reduction|review found", text)


def test_crisis_reply_gives_every_resource_and_nothing_else():
    messages, events = run_action(ActionCrisisSupport(), tracker_for("crisis"))
    assert len(messages) == 1 and events == []
    text = filled(messages[0])
    for needle in ("988", "911", "HOME to 741741", "Outside the US"):
        assert needle in text
    assert not messages[0]["buttons"] and not messages[0]["custom"]
    assert "KAP" not in text and "ketamine" not in text.lower()


def test_crisis_resources_come_from_the_clinic_configuration(tmp_path, monkeypatch):
    settings = yaml.safe_load(CLINIC_FILE.read_text("utf-8"))
    settings["country"] = "the UK"
    settings["crisis_resources"] = {"the UK": [{"name": "Samaritans", "how": "call 116 123"}]}
    custom = tmp_path / "clinic.yml"
    custom.write_text(yaml.safe_dump(settings), "utf-8")
    monkeypatch.setattr("actions.conversation.current_clinic", lambda: load_clinic(custom))
    messages, _ = run_action(ActionCrisisSupport(), tracker_for("crisis"))
    text = filled(messages[0])
    assert "Samaritans: call 116 123" in text and "988" not in text
