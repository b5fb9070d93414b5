"""The feedback on an answer, with a real Tracker and CollectingDispatcher."""

import json

import pytest

from actions.answers import ActionAnswerQuestion
from actions.feedback import ActionAcknowledgeFeedback
from tests.support.action_runner import responses, run_action, tracker_for


def feedback_prompt(messages):
    return [m for m in messages if m.get("response") == "utter_ask_feedback"]


@pytest.mark.parametrize("channel", ["socketio", "rest"])
def test_an_answer_ends_with_yes_no_buttons_that_carry_the_verdict_and_the_topic(channel):
    messages, _ = run_action(ActionAnswerQuestion(), tracker_for("ask_anxiety", channel=channel))
    (prompt,) = feedback_prompt(messages)
    assert messages[-1] is prompt
    assert [b["title"] for b in prompt["buttons"]] == ["Yes", "No"]
    payloads = [b["payload"] for b in prompt["buttons"]]
    assert all(p.startswith("/feedback{") for p in payloads)
    assert [json.loads(p[len("/feedback") :]) for p in payloads] == [
        {"feedback_helpful": "yes", "feedback_topic": "anxiety"},
        {"feedback_helpful": "no", "feedback_topic": "anxiety"},
    ]


@pytest.mark.parametrize("channel", ["twilio", "telegram", "slack", "facebook"])
def test_text_only_channels_get_no_feedback_buttons(channel):
    messages, _ = run_action(ActionAnswerQuestion(), tracker_for("ask_anxiety", channel=channel))
    assert feedback_prompt(messages) == []
    assert not [m for m in messages if m.get("buttons")]


def test_after_a_crisis_answers_end_with_the_reminder_not_a_rating_request():
    messages, _ = run_action(
        ActionAnswerQuestion(), tracker_for("ask_anxiety", channel="socketio", slots={"in_crisis": True})
    )
    assert feedback_prompt(messages) == []
    assert responses(messages)[-1] == "utter_crisis_reminder"


def test_yes_gets_one_line_of_thanks():
    tracker = tracker_for("feedback", entities={"feedback_helpful": "yes", "feedback_topic": "anxiety"})
    messages, events = run_action(ActionAcknowledgeFeedback(), tracker)
    assert responses(messages) == ["utter_feedback_helped"]
    assert not messages[0]["buttons"] and events == []


@pytest.mark.parametrize(
    "intent, entities",
    [
        ("feedback", {"feedback_helpful": "no", "feedback_topic": "anxiety"}),
        ("answer_missed", {}),
    ],
)
def test_no_offers_to_rephrase_with_examples_and_the_care_team(intent, entities):
    tracker = tracker_for(intent, last_topic="anxiety", entities=entities)
    messages, _ = run_action(ActionAcknowledgeFeedback(), tracker)
    (reply,) = messages
    assert reply["response"] == "utter_feedback_missed"
    assert reply["buttons"], "example questions are offered"
    assert reply["care_team_phone"] and reply["care_team_email"]


def test_feedback_without_a_verdict_is_thanked_without_guessing_a_no():
    messages, _ = run_action(ActionAcknowledgeFeedback(), tracker_for("feedback"))
    assert responses(messages) == ["utter_feedback_helped"]


def test_a_hand_typed_payload_with_odd_values_is_thanked_not_a_crash():
    tracker = tracker_for("feedback", entities={"feedback_helpful": "no"})
    tracker.latest_message["entities"][0]["value"] = {"a": 1}
    messages, _ = run_action(ActionAcknowledgeFeedback(), tracker)
    assert responses(messages) == ["utter_feedback_helped"]
