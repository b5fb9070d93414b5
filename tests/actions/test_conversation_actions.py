"""Greeting, help, fallback, declines and crisis, with a real Tracker and CollectingDispatcher."""

import re

import pytest
import yaml

from actions.conversation import (
    ActionAskRephrase,
    ActionCrisisCheck,
    ActionCrisisFarewell,
    ActionCrisisSupport,
    ActionDeclineOutOfScope,
    ActionExplainAssistant,
    ActionGreet,
    ActionShowHelp,
)
from actions.feedback import ActionAcknowledgeFeedback
from bot.content.clinic import CLINIC_FILE, load_clinic
from bot.content.knowledge import knowledge
from bot.content.responses import render
from tests.support.action_runner import DOMAIN, responses, run_action, texts, tracker_for

CLINIC = load_clinic()


def filled(message):
    """The text Rasa will send without crisis slots: the domain response's unconditional
    variant with the action's values filled in."""
    values = {k: v for k, v in message.items() if isinstance(v, str) and k not in ("response", "text")}
    return render(message["response"], **values)


def test_greeting_discloses_an_automated_assistant_and_how_to_reach_a_person():
    messages, _ = run_action(ActionGreet(), tracker_for("greet"))
    assert responses(messages) == ["utter_greet", "utter_suggestions"]
    greeting = filled(messages[0])
    assert "automated assistant" in greeting and "not medical advice" in greeting
    assert CLINIC.phone in greeting
    titles = [b["title"] for b in messages[1]["buttons"]]
    assert titles == [t.example for t in knowledge().suggestions]


@pytest.mark.parametrize(
    "action,response", [(ActionShowHelp(), "utter_help"), (ActionAskRephrase(), "utter_ask_rephrase")]
)
def test_help_and_fallback_offer_example_questions_as_buttons(action, response):
    messages, _ = run_action(action, tracker_for("help"))
    assert responses(messages) == [response]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads and all(p.startswith("/ask_") for p in payloads)


def test_a_message_not_understood_that_names_two_topics_gets_both_answers():
    tracker = tracker_for("nlu_fallback", entities={"condition": "trauma"})
    tracker.latest_message["entities"].append({"entity": "condition", "value": "addiction"})
    messages, _ = run_action(ActionAskRephrase(), tracker)
    answers = [m["text"] for m in messages if m.get("text") in {t.answer for t in knowledge().topics.values()}]
    assert answers == [knowledge().topic("trauma").answer, knowledge().topic("addiction").answer]
    one, _ = run_action(ActionAskRephrase(), tracker_for("nlu_fallback", entities={"condition": "trauma"}))
    assert responses(one) == ["utter_ask_rephrase"]


def ranked(tracker, *intents):
    """The tracker, its latest message read as the fallback over `intents` (name, confidence)."""
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3}] + [
        {"name": name, "confidence": confidence} for name, confidence in intents
    ]
    return tracker


def test_a_message_read_as_either_of_two_intents_with_the_same_answer_gets_that_answer():
    # "does it actually work for depression": depression, or the conditions studied (which, for a
    # named condition, leads with that condition's answer).
    tracker = ranked(
        tracker_for("nlu_fallback", entities={"condition": "depression"}),
        ("ask_depression", 0.35),
        ("ask_conditions", 0.33),
    )
    messages, events = run_action(ActionAskRephrase(), tracker)
    assert messages[0]["text"] == knowledge().topic("depression").answer
    assert {"event": "slot", "name": "last_topic", "value": "depression", "timestamp": None} in events
    # Two readings with different answers, or a decline among them: asked to rephrase.
    for second in ("ask_anxiety", "decline_safety"):
        tracker = ranked(
            tracker_for("nlu_fallback", entities={"condition": "depression"}), ("ask_depression", 0.35), (second, 0.3)
        )
        assert responses(run_action(ActionAskRephrase(), tracker)[0]) == ["utter_ask_rephrase"]


def test_where_is_that_from_or_the_sources_before_any_answer_get_the_overview_of_the_sources():
    # "can I read the source myself somewhere?" as the first message: read as "where is that
    # from?" or as the sources question, both the overview while nothing has been answered.
    sources = knowledge().topic("sources")
    for first, second in (("ask_source", "ask_sources"), ("ask_sources", "ask_source")):
        tracker = ranked(tracker_for("nlu_fallback"), (first, 0.43), (second, 0.41))
        messages, events = run_action(ActionAskRephrase(), tracker)
        assert messages[0]["text"] == sources.answer
        assert {"event": "slot", "name": "last_topic", "value": "sources", "timestamp": None} in events
    # After an answer, "where is that from?" is about that answer: asked to rephrase.
    after = ranked(tracker_for("nlu_fallback", last_topic="pain"), ("ask_source", 0.43), ("ask_sources", 0.41))
    assert responses(run_action(ActionAskRephrase(), after)[0]) == ["utter_ask_rephrase"]


def test_two_declines_naming_a_condition_the_sheet_does_not_name_get_no_answer():
    # "is it safe for someone with bipolar and depression": the safety or the medical decline.
    tracker = tracker_for("nlu_fallback", entities={"condition": "bipolar disorder"})
    tracker.latest_message["entities"].append({"entity": "condition", "value": "depression"})
    ranked(tracker, ("decline_safety", 0.41), ("decline_medical", 0.38))
    messages, events = run_action(ActionAskRephrase(), tracker)
    assert knowledge().topic("depression").answer not in texts(messages)
    assert events == []


def test_are_you_a_doctor_says_no_and_gives_the_care_team():
    messages, _ = run_action(ActionExplainAssistant(), tracker_for("ask_is_doctor"))
    text = filled(messages[0])
    assert "not a doctor" in text and CLINIC.phone in text and CLINIC.email in text


DECLINE_INTENTS = [i for i in DOMAIN["intents"] if i.startswith("decline_")] + ["out_of_scope"]


@pytest.mark.parametrize("intent", DECLINE_INTENTS)
def test_each_kind_of_question_is_declined_in_its_own_words_with_contact_and_no_fact_from_the_document(intent):
    messages, _ = run_action(ActionDeclineOutOfScope(), tracker_for(intent))
    (message,) = messages
    assert message["response"] == ("utter_out_of_scope" if intent == "out_of_scope" else f"utter_{intent}")
    text = filled(message)
    assert CLINIC.phone in text and CLINIC.lines.help_line in text
    assert message["buttons"], "example questions are offered"
    assert not re.search(r"60|70|%|statistically|reduction|review found", text)


def test_there_is_a_decline_for_each_kind_of_question_the_sheet_does_not_cover():
    assert {
        "decline_cost",
        "decline_dosage",
        "decline_safety",
        "decline_addictive",
        "decline_medical",
        "decline_appointments",
        "decline_other_treatments",
    } <= set(DECLINE_INTENTS)


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
    settings["crisis_lines"] = {"the UK": settings["crisis_lines"]["the UK and Ireland"]}
    custom = tmp_path / "clinic.yml"
    custom.write_text(yaml.safe_dump(settings), "utf-8")
    monkeypatch.setattr("bot.content.responses.current_clinic", lambda: load_clinic(custom))
    messages, _ = run_action(ActionCrisisSupport(), tracker_for("crisis"))
    text = filled(messages[0])
    assert "Samaritans: call 116 123" in text and "988" not in text


@pytest.mark.parametrize(
    "action,intent",
    [
        (ActionAskRephrase(), "nlu_fallback"),
        (ActionDeclineOutOfScope(), "out_of_scope"),
        (ActionExplainAssistant(), "ask_for_help"),
    ],
)
def test_replies_that_are_not_answers_end_with_the_crisis_help_line(action, intent):
    messages, _ = run_action(action, tracker_for(intent))
    assert filled(messages[0]).endswith(CLINIC.lines.help_line)


@pytest.mark.parametrize(
    "action,intent,entities",
    [
        (ActionDeclineOutOfScope(), "out_of_scope", {"condition": "autism"}),
        (ActionAcknowledgeFeedback(), "answer_missed", {}),
    ],
)
def test_the_newer_replies_that_are_not_answers_end_with_the_help_line_too(action, intent, entities):
    messages, _ = run_action(action, tracker_for(intent, entities=entities))
    assert filled(messages[0]).endswith(CLINIC.lines.help_line)


def test_the_crisis_check_in_gives_every_crisis_resource():
    messages, _ = run_action(ActionCrisisCheck(), tracker_for("crisis_check"))
    text = filled(messages[0])
    assert CLINIC.crisis_lines() in text and "another way" in text


def test_the_check_in_answers_the_question_asked_with_it_after_the_resources():
    tracker = tracker_for("crisis_check", entities={"checked_question": "ask_trust"})
    messages, events = run_action(ActionCrisisCheck(), tracker)
    assert responses(messages)[0] == "utter_crisis_check_before_answer"
    assert CLINIC.crisis_lines() in filled(messages[0])
    assert messages[1]["text"] == knowledge().topic("trust").answer
    assert "utter_ask_feedback" not in responses(messages)
    assert {"event": "slot", "name": "last_topic", "value": "trust", "timestamp": None} in events


@pytest.mark.parametrize("question", ["greet", "goodbye", "nlu_fallback", "decline_cost", "out_of_scope"])
def test_the_check_in_alone_when_what_was_asked_is_not_one_of_the_sheets_questions(question):
    tracker = tracker_for("crisis_check", entities={"checked_question": question})
    messages, _ = run_action(ActionCrisisCheck(), tracker)
    assert responses(messages) == ["utter_crisis_check"]


def test_the_check_in_answers_a_question_that_names_one_of_the_sheets_topics():
    tracker = tracker_for("crisis_check", text="meth. 6 years. does this work for addiction?")
    tracker.latest_message["entities"] = [{"entity": "condition", "value": "addiction", "start": 34}]
    messages, _ = run_action(ActionCrisisCheck(), tracker)
    assert responses(messages)[0] == "utter_crisis_check_before_answer"
    assert messages[1]["text"] == knowledge().topic("addiction").answer
    # Not when nothing was asked: a story that names a topic is no question.
    tracker = tracker_for("crisis_check", text="meth. 6 years. addiction ruins everything")
    tracker.latest_message["entities"] = [{"entity": "condition", "value": "addiction", "start": 15}]
    messages, _ = run_action(ActionCrisisCheck(), tracker)
    assert responses(messages) == ["utter_crisis_check"]


def test_a_check_in_next_to_a_condition_the_sheet_does_not_name_answers_nothing():
    # "i can't cope anymore honestly. does ketamine help OCD and intrusive thoughts?"
    tracker = tracker_for("crisis_check", text="i can't cope anymore. does ketamine help OCD and intrusive thoughts?")
    tracker.latest_message["entities"] = [
        {"entity": "condition", "value": "obsessive-compulsive disorder", "start": 44},
        {"entity": "clause_intent", "value": "ask_rumination", "start": 52},
    ]
    messages, _ = run_action(ActionCrisisCheck(), tracker)
    assert responses(messages) == ["utter_crisis_check"]


def test_the_crisis_reply_answers_after_it_a_question_the_guard_passed_on():
    tracker = tracker_for("crisis", entities={"checked_question": "ask_speed"}, slots={"in_crisis": True})
    messages, events = run_action(ActionCrisisSupport(), tracker)
    assert responses(messages)[0] == "utter_crisis"
    assert messages[1]["text"] == knowledge().topic("speed").answer
    # The resources once, not again as the reminder after the answer; no feedback question.
    assert "utter_ask_feedback" not in responses(messages) and "utter_crisis_reminder" not in responses(messages)
    assert {"event": "slot", "name": "last_topic", "value": "speed", "timestamp": None} in events


def test_the_crisis_reply_alone_for_a_question_that_is_not_one_of_the_sheets():
    tracker = tracker_for("crisis", entities={"checked_question": "decline_dosage"}, slots={"in_crisis": True})
    messages, _ = run_action(ActionCrisisSupport(), tracker)
    assert responses(messages) == ["utter_crisis"]


def test_a_decline_stays_a_decline_whatever_its_clauses_ask():
    # "I'm 2 years clean from coke and could I get hooked on the ketamine itself?": the addiction
    # answer after "I can't answer whether ketamine is addictive" would read as an answer to it.
    tracker = tracker_for("decline_addictive")
    tracker.latest_message["entities"] = [
        {"entity": "clause_intent", "value": "ask_addiction", "start": 0},
        {"entity": "clause_intent", "value": "decline_addictive", "start": 32},
    ]
    messages, _ = run_action(ActionDeclineOutOfScope(), tracker)
    assert responses(messages) == ["utter_decline_addictive"]


@pytest.mark.parametrize("intent, response", [("thank", "utter_you_are_welcome"), ("goodbye", "utter_goodbye")])
def test_after_a_crisis_thanks_and_goodbyes_give_the_crisis_lines_themselves(intent, response):
    slots = {"in_crisis": True, "crisis_subject": "self"}
    messages, events = run_action(ActionCrisisFarewell(), tracker_for(intent, slots=slots))
    assert responses(messages) == [response] and events == []
    assert messages[0]["crisis_resources"] == CLINIC.crisis_lines()
    assert render(response, slots).endswith(CLINIC.crisis_lines())


@pytest.mark.parametrize(
    "slots,opening",
    [
        ({}, "I'm really sorry you're going through this"),
        ({"crisis_subject": "self"}, "I'm really sorry you're going through this"),
        ({"crisis_subject": "someone_else"}, "Thank you for reaching out for them. " + CLINIC.lines.someone_else),
        ({"crisis_kind": "poisoning", "crisis_subject": "self"}, CLINIC.lines.poisoning),
        ({"crisis_kind": "poisoning", "crisis_subject": "someone_else"}, CLINIC.lines.poisoning),
    ],
)
def test_the_crisis_reply_is_worded_for_who_is_at_risk_and_for_a_poisoning(slots, opening):
    text = render("utter_crisis", slots)
    assert text.startswith(opening) and text.endswith(CLINIC.crisis_lines())
    assert (CLINIC.lines.someone_else in text) == (slots.get("crisis_subject") == "someone_else")


@pytest.mark.parametrize(
    "action, intent", [(ActionDeclineOutOfScope(), "out_of_scope"), (ActionAskRephrase(), "nlu_fallback")]
)
def test_a_condition_the_sheet_does_not_name_gets_a_plain_not_mentioned(action, intent):
    messages, _ = run_action(action, tracker_for(intent, entities={"condition": "autism"}))
    assert responses(messages) == ["utter_condition_not_in_sheet"]
    text = filled(messages[0])
    assert "does not mention autism" in text and CLINIC.phone in text


def test_a_decline_intent_keeps_its_own_reply_when_a_condition_is_named():
    messages, _ = run_action(ActionDeclineOutOfScope(), tracker_for("decline_safety", entities={"condition": "autism"}))
    assert responses(messages) == ["utter_decline_safety"]
