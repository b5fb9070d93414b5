"""`python -m bot report`: counts, topics, grouped unanswered questions, and no crisis text."""

import asyncio
import subprocess
import sys
import time

import yaml
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import PROJECT_ROOT
from bot.report import build_report, group_similar
from bot.retention import SECONDS_PER_DAY, open_store
from bot.servers import child_env

CRISIS_TEXT = "zebra crossing thoughts i want to end my life"


def turn(text, intent, action, stamp):
    return [UserUttered(text, {"name": intent, "confidence": 1.0}, timestamp=stamp),
            ActionExecuted(action, timestamp=stamp + 1), BotUttered("…", timestamp=stamp + 2),
            ActionExecuted("action_listen", timestamp=stamp + 3)]


def conversation(sender, turns, days_ago=1):
    stamp = time.time() - days_ago * SECONDS_PER_DAY
    events = [ActionExecuted("action_listen", timestamp=stamp)]
    for i, (text, intent, action) in enumerate(turns):
        events += turn(text, intent, action, stamp + 10 * (i + 1))
    return DialogueStateTracker.from_events(sender, events)


def filled_store(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(tmp_path / "c.db")}}))
    store = open_store(endpoints)
    conversations = [
        conversation("a", [("how effective is kap", "ask_effectiveness", "action_answer_question"),
                           ("how much does it cost", "out_of_scope", "action_decline_out_of_scope")]),
        conversation("b", [("does it work", "ask_effectiveness", "action_answer_question"),
                           ("how much does kap cost?", "out_of_scope", "action_decline_out_of_scope"),
                           ("blorp zzz", "nlu_fallback", "action_ask_rephrase")]),
        conversation("c", [("help with anxiety?", "ask_anxiety", "action_answer_question"),
                           (CRISIS_TEXT, "crisis", "action_crisis_support"),
                           ("is ketamine addictive", "out_of_scope", "action_decline_out_of_scope")]),
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
    assert (report.conversations, report.messages) == (3, 8)
    assert report.crisis_replies == 1 and report.crisis_conversations == 1
    assert report.topics[0] == ("How effective it is", 2)
    assert report.unanswered == [("how much does it cost", 2), ("blorp zzz", 1)]


def test_the_report_command_writes_markdown_and_a_chart(tmp_path):
    _, endpoints = filled_store(tmp_path)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "bot", "report", "--days", "30", "--endpoints", str(endpoints),
                             "--out", str(out)], cwd=PROJECT_ROOT, env=child_env(), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    text = (out / "report.md").read_text()
    assert "Conversations: 3" in text and "| how much does it cost | 2 |" in text
    assert "zebra" not in text and "addictive" not in text and "insurance" not in text
    assert (out / "report.png").stat().st_size > 1000
