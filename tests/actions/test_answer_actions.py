"""action_answer_question and the follow-ups, with a real Tracker and CollectingDispatcher."""

import pytest
from rasa_sdk.events import SlotSet

from actions.answers import ActionAnswerQuestion, ActionQuoteSource, ActionShowSource, ActionTellMore
from bot.channels.messaging import MAX_MESSAGE_CHARS
from bot.content.clinic import load_clinic
from bot.content.knowledge import knowledge
from tests.support.action_runner import responses, run_action, texts, tracker_for

TOPICS = list(knowledge().topics.values())


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.key)
def test_each_faq_intent_gets_its_answer_quotes_and_citation_payloads(topic):
    messages, events = run_action(ActionAnswerQuestion(), tracker_for(topic.intent))
    sent = texts(messages)
    assert sent[0] == topic.answer
    references = [topic.source_text()] if topic.full_references else []
    assert sent[1:] == [quote.as_text() for quote in topic.quotes] + references
    payloads = [m["custom"] for m in messages if m["custom"]]
    assert [p["quote"] for p in payloads] == [quote.text for quote in topic.quotes]
    for payload in payloads:
        assert payload["type"] == "citation"
        assert set(payload["citation"]) == {
            "authors",
            "year",
            "title",
            "journal",
            "volume",
            "pages",
            "doi",
            "pmid",
            "url",
        }
    assert all(len(text) <= MAX_MESSAGE_CHARS for text in sent)
    assert events == [SlotSet("last_topic", topic.key)]


def test_effectiveness_answer_carries_the_review_quote_with_its_doi():
    messages, _ = run_action(ActionAnswerQuestion(), tracker_for("ask_effectiveness"))
    review = [m["custom"] for m in messages if m["custom"].get("citation", {}).get("doi")]
    assert review[0]["citation"]["doi"] == "10.2147/JPR.S360733"
    assert review[0]["citation"]["pmid"] == "35734507"
    assert "Drozdz" in review[0]["citation"]["authors"][0]
    assert any("doi:10.2147/JPR.S360733" in t for t in texts(messages))


def test_the_widget_gets_quote_cards_without_the_plain_text_copy():
    messages, _ = run_action(ActionAnswerQuestion(), tracker_for("ask_effectiveness", channel="socketio"))
    topic = knowledge().topic("effectiveness")
    assert texts(messages) == [topic.answer]
    assert [m["custom"]["quote"] for m in messages if m["custom"]] == [q.text for q in topic.quotes]


def test_text_only_channels_get_the_quote_as_text_and_no_payload():
    messages, _ = run_action(ActionAnswerQuestion(), tracker_for("ask_addiction", channel="twilio"))
    topic = knowledge().topic("addiction")
    assert texts(messages) == [topic.answer] + [q.as_text() for q in topic.quotes]
    assert not [m for m in messages if m["custom"]]


def test_a_question_about_creativity_gets_the_creativity_answer_not_the_list():
    messages, _ = run_action(ActionAnswerQuestion(), tracker_for("ask_creativity"))
    answer = texts(messages)[0]
    assert "creativity and problem solving" in answer
    assert "mindfulness" not in answer and "discernment" not in answer


def test_an_intent_without_knowledge_asks_to_rephrase_instead_of_guessing():
    messages, events = run_action(ActionAnswerQuestion(), tracker_for("greet"))
    assert responses(messages) == ["utter_ask_rephrase"]
    assert events == []


def test_source_of_the_60_70_figure_is_several_studies_not_the_review():
    messages, _ = run_action(ActionShowSource(), tracker_for("ask_source", last_topic="effectiveness"))
    (source,) = texts(messages)
    assert '"several studies"' in source and "not a finding of the 2022 review" in source
    assert "https://doi.org/10.2147/JPR.S360733" in source  # for the review quote it also shows


def test_source_of_a_review_answer_is_the_full_reference():
    messages, _ = run_action(ActionShowSource(), tracker_for("ask_source", last_topic="addiction"))
    (source,) = texts(messages)
    for part in (
        "Drozdz",
        "Ketamine Assisted Psychotherapy: A Systematic Narrative Review",
        "Journal of Pain Research",
        "15",
        "1691–1706",
        "PMID 35734507",
    ):
        assert part in source


def test_quote_follow_up_gives_the_verbatim_quote():
    messages, _ = run_action(ActionQuoteSource(), tracker_for("ask_quote", last_topic="dropout"))
    assert texts(messages) == [q.as_text() for q in knowledge().topic("dropout").quotes]


def test_quote_follow_up_on_a_list_answer_explains_there_is_no_single_quote():
    messages, _ = run_action(ActionQuoteSource(), tracker_for("ask_quote", last_topic="other_effects"))
    assert responses(messages) == ["utter_no_quote"]


def test_tell_more_gives_the_related_detail_once_then_says_there_is_no_more():
    topic = knowledge().topic("pain")
    messages, _ = run_action(ActionTellMore(), tracker_for("ask_more", last_topic="pain"))
    assert texts(messages) == [topic.more]
    earlier = [
        {"event": "slot", "name": "last_topic", "value": "pain"},
        {"event": "bot", "text": topic.more},
    ]
    messages, _ = run_action(ActionTellMore(), tracker_for("ask_more", last_topic="pain", events=earlier))
    assert responses(messages) == ["utter_no_more"]


def test_where_is_that_from_before_any_answer_gives_the_overview_of_the_sources():
    messages, events = run_action(ActionShowSource(), tracker_for("ask_source"))
    overview = knowledge().topic("sources")
    assert texts(messages) == [overview.answer, overview.source_text()]
    assert "not one of that review's findings" in overview.answer
    for part in ("Drozdz", "Journal of Pain Research", "1691–1706", "several studies"):
        assert part in overview.source_text() or part in overview.answer, part
    # The overview is then the last answer ("can you quote that?" is about it).
    assert events == [SlotSet("last_topic", "sources")]


def test_the_sources_question_is_answered_with_the_full_references():
    messages, _ = run_action(ActionAnswerQuestion(), tracker_for("ask_sources"))
    overview = knowledge().topic("sources")
    assert texts(messages)[:2] == [overview.answer, overview.source_text()]


def test_a_quote_asked_before_any_answer_asks_what_the_user_wants_to_know():
    messages, events = run_action(ActionQuoteSource(), tracker_for("ask_quote"))
    assert responses(messages) == ["utter_ask_topic"]
    assert messages[0]["buttons"], "example questions are offered"
    assert events == []


def test_tell_me_more_before_any_answer_answers_what_kap_is():
    messages, events = run_action(ActionTellMore(), tracker_for("ask_more"))
    assert texts(messages)[0] == knowledge().topic("what_is_kap").answer
    assert events == [SlotSet("last_topic", "what_is_kap")]


def test_after_a_crisis_reply_every_answer_ends_with_the_crisis_reminder():
    calm, _ = run_action(ActionAnswerQuestion(), tracker_for("ask_speed"))
    assert "utter_crisis_reminder" not in responses(calm)
    after, _ = run_action(ActionAnswerQuestion(), tracker_for("ask_speed", slots={"in_crisis": True}))
    assert responses(after)[-1] == "utter_crisis_reminder"
    assert after[-1]["crisis_reminder"] == load_clinic().lines.reminder
    assert after[-1]["crisis_poisoning"] == load_clinic().lines.poisoning


def test_a_condition_the_sheet_does_not_name_is_said_so_never_answered_as_studied():
    tracker = tracker_for("ask_conditions", entities={"condition": "obsessive-compulsive disorder (OCD)"})
    messages, events = run_action(ActionAnswerQuestion(), tracker)
    assert responses(messages) == ["utter_condition_not_in_sheet"]
    assert messages[0]["condition"] == "obsessive-compulsive disorder (OCD)"
    assert messages[0]["care_team_phone"] == load_clinic().phone
    assert texts(messages) == [] and events == []


def test_a_question_on_the_review_naming_a_condition_gets_its_topic_not_the_reviews_answer():
    messages, events = run_action(ActionAnswerQuestion(), tracker_for("ask_review", entities={"condition": "trauma"}))
    assert texts(messages)[0] == knowledge().topic("trauma").answer
    assert knowledge().topic("review").answer not in texts(messages)
    assert events == [SlotSet("last_topic", "trauma")]


@pytest.mark.parametrize("general", ["conditions", "effectiveness"])
def test_a_general_question_naming_a_condition_gets_its_topic_then_the_general_answer(general):
    # "is it only for depression or other things too?", "what's the success rate for depression?"
    tracker = tracker_for(f"ask_{general}", entities={"condition": "depression"})
    messages, events = run_action(ActionAnswerQuestion(), tracker)
    answers = [t for t in texts(messages) if t in {topic.answer for topic in knowledge().topics.values()}]
    assert answers == [knowledge().topic("depression").answer, knowledge().topic(general).answer]
    assert events == [SlotSet("last_topic", general)]


def test_a_named_and_an_unnamed_condition_get_the_not_in_sheet_line_then_the_named_ones_answer():
    tracker = tracker_for("ask_depression", entities={"condition": "bipolar disorder"})
    tracker.latest_message["entities"].append({"entity": "condition", "value": "depression"})
    messages, events = run_action(ActionAnswerQuestion(), tracker)
    assert responses(messages)[0] == "utter_condition_not_in_sheet"
    assert texts(messages)[0] == knowledge().topic("depression").answer
    assert events == [SlotSet("last_topic", "depression")]


def test_after_a_crisis_a_question_read_unsurely_gets_the_crisis_resources_again_before_any_answer():
    tracker = tracker_for("ask_dropout", slots={"in_crisis": True})
    tracker.latest_message["intent"]["confidence"] = 0.3
    messages, events = run_action(ActionAnswerQuestion(), tracker)
    assert responses(messages) == ["utter_crisis"] and events == []
    tracker.latest_message["intent"]["confidence"] = 0.7
    unsure, events = run_action(ActionAnswerQuestion(), tracker)
    assert responses(unsure) == ["utter_crisis"] and events == []
    tracker.latest_message["entities"] = [{"entity": "topic", "value": "dropout", "start": 0}]
    named, events = run_action(ActionAnswerQuestion(), tracker)
    assert responses(named)[0] == "utter_crisis" and "utter_crisis_reminder" not in responses(named)
    assert texts(named)[0] == knowledge().topic("dropout").answer
    assert events == [SlotSet("last_topic", "dropout")]
    tracker.latest_message["intent"]["confidence"] = 0.9
    sure, _ = run_action(ActionAnswerQuestion(), tracker)
    assert "utter_crisis" not in responses(sure)
    assert texts(sure)[0] == knowledge().topic("dropout").answer


def test_after_an_overdose_a_question_telling_a_symptom_gets_the_crisis_reply_alone():
    poisoned = {"in_crisis": True, "crisis_kind": "poisoning"}
    for text, intent in (
        ("is chest pain bad", "ask_pain"),
        ("my lips feel numb and the room is tilting", "ask_depression"),
    ):
        messages, events = run_action(ActionAnswerQuestion(), tracker_for(intent, text=text, slots=poisoned))
        assert responses(messages) == ["utter_crisis"] and events == []
    # A KAP question after the overdose is answered; a symptom with no overdose told is a question.
    question, _ = run_action(ActionAnswerQuestion(), tracker_for("ask_pain", text="does kap help pain", slots=poisoned))
    assert texts(question)[0] == knowledge().topic("pain").answer
    calm, _ = run_action(ActionAnswerQuestion(), tracker_for("ask_pain", text="is chest pain bad"))
    assert texts(calm)[0] == knowledge().topic("pain").answer
    dizzy = tracker_for("ask_speed", text="will I feel dizzy after a ketamine session?", slots=poisoned)
    assert texts(run_action(ActionAnswerQuestion(), dizzy)[0])[0] == knowledge().topic("speed").answer


def test_a_question_naming_two_topics_gets_its_own_answer_then_each_named_one_in_order():
    tracker = tracker_for("ask_trauma")
    tracker.latest_message["entities"] = [
        {"entity": "condition", "value": "addiction", "start": 8},
        {"entity": "topic", "value": "Rumination", "start": 0},
        {"entity": "condition", "value": "trauma", "start": 20},
    ]
    messages, events = run_action(ActionAnswerQuestion(), tracker)
    answers = [t for t in texts(messages) if t in {topic.answer for topic in knowledge().topics.values()}]
    assert answers == [knowledge().topic(key).answer for key in ("trauma", "rumination", "addiction")]
    assert events == [SlotSet("last_topic", "addiction")]


def clauses(tracker, *intents):
    """The tracker, its latest message's clauses read as `intents` (bot/nlu/intent_classifier.py)."""
    tracker.latest_message["entities"] = [
        {"entity": "clause_intent", "value": intent, "start": 10 * index} for index, intent in enumerate(intents)
    ]
    return tracker


def test_two_clauses_read_as_two_of_the_sheets_questions_get_both_answers_in_order():
    # "drinking problem and back pain both, can it help either one"
    tracker = clauses(tracker_for("ask_pain"), "ask_addiction", "ask_pain")
    messages, events = run_action(ActionAnswerQuestion(), tracker)
    answers = [t for t in texts(messages) if t in {topic.answer for topic in knowledge().topics.values()}]
    assert answers == [knowledge().topic(key).answer for key in ("pain", "addiction")]
    assert events == [SlotSet("last_topic", "addiction")]


def test_a_clause_asking_what_the_bot_declines_gets_its_decline_after_the_answer():
    # "Kindly advise whether KAP reduces anxiety, and whether it is available on the NHS."
    tracker = clauses(tracker_for("ask_anxiety"), "ask_anxiety", "decline_appointments")
    messages, _ = run_action(ActionAnswerQuestion(), tracker)
    assert texts(messages)[0] == knowledge().topic("anxiety").answer
    assert responses(messages).index("utter_decline_appointments") < responses(messages).index("utter_ask_feedback")


def test_after_a_crisis_reply_or_a_check_in_a_clause_is_never_declined():
    for slot in ("in_crisis", "checked_in"):
        tracker = clauses(tracker_for("ask_depression", slots={slot: True}), "ask_depression", "decline_safety")
        messages, _ = run_action(ActionAnswerQuestion(), tracker)
        assert "utter_decline_safety" not in responses(messages)


def test_a_general_question_read_in_a_clause_comes_after_the_named_topic():
    # "success rate and depression?"
    tracker = clauses(tracker_for("ask_effectiveness"), "ask_effectiveness", "ask_depression")
    messages, _ = run_action(ActionAnswerQuestion(), tracker)
    answers = [t for t in texts(messages) if t in {topic.answer for topic in knowledge().topics.values()}]
    assert answers == [knowledge().topic(key).answer for key in ("depression", "effectiveness")]


def test_next_to_a_condition_the_sheet_does_not_name_a_clause_reading_is_not_answered():
    # "does it work for OCD and washing hands all day": nothing read as if it were about OCD.
    tracker = clauses(tracker_for("ask_conditions"), "ask_conditions", "ask_habit_vigilance")
    tracker.latest_message["entities"].append({"entity": "condition", "value": "obsessive-compulsive disorder"})
    messages, _ = run_action(ActionAnswerQuestion(), tracker)
    assert responses(messages)[0] == "utter_condition_not_in_sheet"
    assert not {topic.answer for topic in knowledge().topics.values()} & set(texts(messages))


def test_a_question_about_one_person_ends_by_saying_the_figures_describe_studies_and_refers_to_the_team():
    messages, _ = run_action(ActionAnswerQuestion(), tracker_for("ask_effectiveness", entities={"person": "my son"}))
    assert texts(messages)[0] == knowledge().topic("effectiveness").answer
    assert "utter_about_one_person" in responses(messages)
    calm, _ = run_action(ActionAnswerQuestion(), tracker_for("ask_effectiveness"))
    assert "utter_about_one_person" not in responses(calm)


def test_tell_me_more_right_after_a_crisis_reply_gives_the_resources_and_after_an_answer_the_detail():
    crisis = [{"event": "action", "name": "action_crisis_support"}]
    answered = [{"event": "slot", "name": "last_topic", "value": "speed"}]
    slots = {"in_crisis": True}
    right_after, _ = run_action(
        ActionTellMore(), tracker_for("ask_more", last_topic="speed", events=answered + crisis, slots=slots)
    )
    assert responses(right_after) == ["utter_crisis"]
    later, _ = run_action(
        ActionTellMore(), tracker_for("ask_more", last_topic="speed", events=crisis + answered, slots=slots)
    )
    assert texts(later) == [knowledge().topic("speed").more]
    assert responses(later)[-1] == "utter_crisis_reminder"
