"""`python -m bot report`: counts, topics, grouped unanswered questions, and no crisis text."""

import asyncio
import time

import yaml
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.ops.report import build_report, group_similar
from bot.ops.retention import SECONDS_PER_DAY, open_store
from tests.support.bot_cli import run_bot

CRISIS_TEXT = "zebra crossing thoughts i want to end my life"


TOPIC_OF = {"ask_effectiveness": "effectiveness", "ask_anxiety": "anxiety"}


def turn(text, intent, action, stamp, entities=()):
    """A user message and the bot's reply, with the last_topic slot an answer sets."""
    events = [
        UserUttered(text, {"name": intent, "confidence": 1.0}, list(entities), timestamp=stamp),
        ActionExecuted(action, timestamp=stamp + 1),
        BotUttered("…", timestamp=stamp + 2),
    ]
    if action == "action_answer_question":
        events.append(SlotSet("last_topic", TOPIC_OF[intent], timestamp=stamp + 2))
    return events + [ActionExecuted("action_listen", timestamp=stamp + 3)]


def verdict(helpful, topic):
    """The message the widget's Yes / No button sends."""
    entities = [{"entity": "feedback_helpful", "value": helpful}, {"entity": "feedback_topic", "value": topic}]
    return (f"/feedback{{...{helpful}}}", "feedback", "action_acknowledge_feedback", entities)


def conversation(sender, turns, days_ago=1):
    stamp = time.time() - days_ago * SECONDS_PER_DAY
    events = [ActionExecuted("action_listen", timestamp=stamp)]
    for i, (text, intent, action, *entities) in enumerate(turns):
        events += turn(text, intent, action, stamp + 10 * (i + 1), *entities)
    return DialogueStateTracker.from_events(sender, events)


def filled_store(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(tmp_path / "c.db")}})
    )
    store = open_store(endpoints)
    conversations = [
        conversation(
            "a",
            [
                ("how effective is kap", "ask_effectiveness", "action_answer_question"),
                ("how much does it cost", "out_of_scope", "action_decline_out_of_scope"),
            ],
        ),
        conversation(
            "b",
            [
                ("does it work", "ask_effectiveness", "action_answer_question"),
                ("how much does kap cost?", "out_of_scope", "action_decline_out_of_scope"),
                ("blorp zzz", "nlu_fallback", "action_ask_rephrase"),
            ],
        ),
        conversation(
            "c",
            [
                ("help with anxiety?", "ask_anxiety", "action_answer_question"),
                (CRISIS_TEXT, "crisis", "action_crisis_support"),
                ("is ketamine addictive", "out_of_scope", "action_decline_out_of_scope"),
            ],
        ),
        conversation(
            "d",
            [
                ("what does it do for worry", "ask_anxiety", "action_answer_question"),
                verdict("no", "anxiety"),
                ("is kap effective", "ask_effectiveness", "action_answer_question"),
                verdict("yes", "effectiveness"),
            ],
        ),
        conversation(
            "e",
            [
                ("what does it do for my worrying", "ask_anxiety", "action_answer_question"),
                ("that didn't answer my question", "answer_missed", "action_acknowledge_feedback"),
            ],
        ),
        conversation(
            "f",
            [
                (CRISIS_TEXT, "crisis", "action_crisis_support"),
                ("zebra anxiety question", "ask_anxiety", "action_answer_question"),
                verdict("no", "anxiety"),
            ],
        ),
        conversation("old", [("what about insurance", "out_of_scope", "action_decline_out_of_scope")], days_ago=60),
    ]
    for tracker in conversations:
        asyncio.run(store.save(tracker))
    return store, endpoints


def test_similar_questions_are_grouped():
    groups = group_similar(["how much does it cost", "how much does kap cost?", "is it addictive"])
    assert groups == [("how much does it cost", 2), ("is it addictive", 1)]


def test_the_report_counts_and_keeps_crisis_conversations_private(tmp_path):
    store, _ = filled_store(tmp_path)
    report = build_report(store, days=30)
    assert (report.conversations, report.messages) == (6, 14)  # the 3 Yes / No button presses are not messages
    assert report.crisis_replies == 2 and report.crisis_conversations == 2
    assert report.topics[:2] == [("Anxiety", 4), ("How effective it is", 3)]
    assert report.unanswered == [("how much does it cost", 2), ("blorp zzz", 1)]


def test_the_report_rates_each_topic_and_groups_the_questions_whose_answer_missed(tmp_path):
    store, _ = filled_store(tmp_path)
    report = build_report(store, days=30)
    ratings = {r.title: (r.answers, r.yes, r.no) for r in report.ratings}
    # Anxiety is answered in c, d, e and f, and gets a No in d (button), e (written) and f (crisis).
    assert ratings == {"Anxiety": (4, 0, 3), "How effective it is": (3, 1, 0)}
    # The two missed worry questions are one group; the crisis conversation's is never shown.
    assert report.missed == [("what does it do for worry", "Anxiety", 2)]


def test_the_report_command_writes_markdown_and_a_chart(tmp_path):
    _, endpoints = filled_store(tmp_path)
    out = tmp_path / "out"
    result = run_bot("report", "--days", "30", "--endpoints", str(endpoints), "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    text = (out / "report.md").read_text()
    assert (
        "Conversations: 6" in text and "Messages from patients: 14" in text and "| how much does it cost | 2 |" in text
    )
    assert "| Anxiety | 4 | 0 | 3 |" in text and "| what does it do for worry | Anxiety | 2 |" in text
    assert "zebra" not in text and "addictive" not in text and "insurance" not in text
    assert (out / "report.png").stat().st_size > 1000
