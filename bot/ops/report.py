"""What patients asked over the last N days, from the tracker store: `make report`.

Counts conversations and messages, the topics asked most, the crisis replies given, and groups
the questions the bot could not answer (fallback and out of scope) by similarity, so the clinic
sees what patients want that the document does not cover. It also tallies, per topic, the
answers given and the patients' Yes / No on them, and groups the questions whose answer got a No:
a confident answer to the wrong question looks like success everywhere else. Crisis
conversations are only counted: none of their messages appears in the report.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from bot.content.clinic import load_clinic
from bot.content.knowledge import knowledge
from bot.ops.retention import SECONDS_PER_DAY

# Not understood, or declined: out_of_scope and the decline_* intents (one per kind of question).
UNANSWERED_INTENTS = ("nlu_fallback", "out_of_scope")
DECLINE_PREFIX = "decline_"
CRISIS_ACTION = "action_crisis_support"
ANSWER_ACTION = "action_answer_question"
FEEDBACK_INTENTS = ("feedback", "answer_missed")


@dataclass
class Ratings:
    """One topic's answers and the patients' verdicts on them."""

    title: str
    answers: int = 0
    yes: int = 0
    no: int = 0


@dataclass
class Report:
    days: int
    conversations: int = 0
    messages: int = 0
    crisis_replies: int = 0
    crisis_conversations: int = 0
    topics: List[Tuple[str, int]] = field(default_factory=list)
    unanswered: List[Tuple[str, int]] = field(default_factory=list)
    ratings: List[Ratings] = field(default_factory=list)
    # (example question, topic it was answered with, times) for answers that got a No
    missed: List[Tuple[str, str, int]] = field(default_factory=list)


def group_similar(questions: List[str], threshold: float = 0.5) -> List[Tuple[str, int]]:
    """Greedy grouping by TF-IDF cosine similarity; (first question of the group, size), largest first."""
    if not questions:
        return []
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(questions)
    similarity = cosine_similarity(vectors)
    group_of: Dict[int, int] = {}
    for i in range(len(questions)):
        if i in group_of:
            continue
        group_of[i] = i
        for j in range(i + 1, len(questions)):
            if j not in group_of and similarity[i, j] >= threshold:
                group_of[j] = i
    sizes = Counter(group_of.values())
    return sorted(((questions[leader], size) for leader, size in sizes.items()), key=lambda g: (-g[1], g[0]))


def _verdict(intent: str, data: Dict[str, Any]) -> Tuple[Optional[str], Optional[str]]:
    """(yes/no, topic key or None) of a feedback message: the buttons' entities, or a written no."""
    if intent == "answer_missed":
        return "no", None
    # Only text values: a button payload typed by hand may carry anything.
    entities = {
        e.get("entity"): e.get("value")
        for e in (data.get("parse_data") or {}).get("entities") or []
        if isinstance(e.get("value"), str)
    }
    verdict = entities.get("feedback_helpful")
    return (verdict if verdict in ("yes", "no") else None), entities.get("feedback_topic")


def rate_answers(rows: Iterable[Any], private_senders: set) -> Tuple[List[Ratings], List[Tuple[str, str, int]]]:
    """Per topic, the answers given (the last_topic slot set by the answer action) and the
    verdicts on them; and the questions whose answer got a No, grouped by similarity per topic
    (none from a private, i.e. crisis, conversation)."""
    ratings: Dict[str, Ratings] = {}
    missed: Dict[str, List[str]] = defaultdict(list)
    last_action: Dict[str, str] = {}
    last_question: Dict[str, str] = {}
    last_answer: Dict[str, Tuple[str, str]] = {}
    for row in rows:
        sender = row.sender_id
        if row.type_name == "action":
            last_action[sender] = row.action_name
            continue
        data = json.loads(row.data)
        if row.type_name == "slot" and data.get("name") == "last_topic" and last_action.get(sender) == ANSWER_ACTION:
            topic = knowledge().topic(data.get("value"))
            if topic is not None:
                ratings.setdefault(topic.key, Ratings(topic.title)).answers += 1
                last_answer[sender] = (topic.key, last_question.get(sender, ""))
        elif row.type_name == "user" and row.intent_name in FEEDBACK_INTENTS:
            verdict, topic_key = _verdict(row.intent_name, data)
            answered_key, question = last_answer.get(sender, (None, ""))
            topic = knowledge().topic(topic_key or answered_key)
            if verdict is None or topic is None:
                continue
            rating = ratings.setdefault(topic.key, Ratings(topic.title))
            if verdict == "yes":
                rating.yes += 1
            else:
                rating.no += 1
                if topic.key == answered_key and question and sender not in private_senders:
                    missed[topic.key].append(question)
        elif row.type_name == "user":
            # A new message: a later "that didn't answer my question" is about its reply, not an
            # earlier answer (a topic question sets the answer again through the slot).
            last_question[sender] = " ".join((data.get("text") or "").split())
            last_answer.pop(sender, None)
    grouped = [
        (question, ratings[key].title, count)
        for key, questions in missed.items()
        for question, count in group_similar(questions)
    ]
    by_answers = sorted(ratings.values(), key=lambda r: (-r.answers, r.title))
    return by_answers, sorted(grouped, key=lambda g: (-g[2], g[1], g[0]))


def build_report(store: SQLTrackerStore, days: int, now: float | None = None) -> Report:
    """Reads the events of the last `days` days and tallies them."""
    since = (now if now is not None else time.time()) - days * SECONDS_PER_DAY
    events = SQLTrackerStore.SQLEvent.__table__
    query = (
        sa.select(events.c.sender_id, events.c.type_name, events.c.intent_name, events.c.action_name, events.c.data)
        .where(events.c.timestamp >= since)
        .order_by(events.c.id)
    )
    with store.engine.connect() as connection:
        rows = list(connection.execute(query))
    crisis_senders = {
        r.sender_id
        for r in rows
        if r.action_name == CRISIS_ACTION or (r.type_name == "user" and r.intent_name == "crisis")
    }
    user_rows = [r for r in rows if r.type_name == "user"]
    topics = Counter(
        knowledge().topic_for_intent(r.intent_name).title
        for r in user_rows
        if knowledge().topic_for_intent(r.intent_name)
    )
    ratings, missed = rate_answers(rows, crisis_senders)
    unanswered = [
        " ".join((json.loads(r.data).get("text") or "").split())
        for r in user_rows
        if (r.intent_name in UNANSWERED_INTENTS or (r.intent_name or "").startswith(DECLINE_PREFIX))
        and r.sender_id not in crisis_senders
    ]
    return Report(
        days=days,
        conversations=len({r.sender_id for r in user_rows}),
        messages=sum(not (json.loads(r.data).get("text") or "").startswith("/") for r in user_rows),
        crisis_replies=sum(r.action_name == CRISIS_ACTION for r in rows),
        crisis_conversations=len(crisis_senders),
        topics=topics.most_common(),
        unanswered=group_similar([q for q in unanswered if q and not q.startswith("/")]),
        ratings=ratings,
        missed=missed,
    )


def cell(text: str) -> str:
    """Text that cannot break a Markdown table row."""
    return text.replace("|", "/")


def markdown(report: Report, chart: str) -> str:
    lines = [
        f"# What patients asked {load_clinic().name}'s KAP assistant:"
        f" the last {report.days} day{'' if report.days == 1 else 's'}",
        "",
        f"- Conversations: {report.conversations}",
        f"- Messages from patients: {report.messages}",
        f"- Crisis replies given: {report.crisis_replies} (in {report.crisis_conversations} conversations;"
        " their messages are not shown)",
        "",
        "## Topics asked most",
        "",
        "| topic | questions |",
        "|---|---|",
        *[f"| {topic} | {count} |" for topic, count in report.topics],
        "",
        "## Questions the bot could not answer (grouped by similarity)",
        "",
        "Fallbacks (not understood) and out-of-scope questions: what the information sheet does not cover.",
        "",
        "| example question | times asked |",
        "|---|---|",
        *[f"| {cell(question)} | {count} |" for question, count in report.unanswered],
        "",
        "## Did the answers help?",
        "",
        'After each answer the widget asks "Did this answer your question?"; on any channel a patient may'
        " also write that an answer missed. A No most often means the bot answered a different question.",
        "",
        "| topic | answers given | Yes | No |",
        "|---|---|---|---|",
        *[f"| {r.title} | {r.answers} | {r.yes} | {r.no} |" for r in report.ratings],
        "",
        "## Questions whose answer got a No (grouped by similarity)",
        "",
        "| example question | answered with the topic | times |",
        "|---|---|---|",
        *[f"| {cell(question)} | {topic} | {count} |" for question, topic, count in report.missed],
        "",
        f"![Topics and unanswered questions]({chart})",
        "",
    ]
    return "\n".join(lines)


def chart(report: Report, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [t for t, _ in report.topics[:12]] + ["(could not answer)", "(crisis replies)"]
    counts = [c for _, c in report.topics[:12]] + [sum(c for _, c in report.unanswered), report.crisis_replies]
    figure, axis = plt.subplots(figsize=(8, 0.4 * len(labels) + 1.2))
    axis.barh(labels[::-1], counts[::-1], color="#2b6cb0")
    axis.set_xlabel("questions")
    axis.set_title(f"KAP assistant, last {report.days} days")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def write_report(store: SQLTrackerStore, days: int, out_dir: Path) -> Path:
    """Writes report.md and report.png into out_dir; returns the Markdown file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    report = build_report(store, days)
    chart(report, out_dir / "report.png")
    path = out_dir / "report.md"
    path.write_text(markdown(report, "report.png"), "utf-8")
    return path
