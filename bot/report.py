"""What patients asked over the last N days, from the tracker store: `make report`.

Counts conversations and messages, the topics asked most, the crisis replies given, and groups
the questions the bot could not answer (fallback and out of scope) by similarity, so the clinic
sees what patients want that the document does not cover. Crisis conversations are only counted:
none of their messages appears in the report.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from bot.clinic import load_clinic
from bot.knowledge import knowledge
from bot.retention import SECONDS_PER_DAY

UNANSWERED_INTENTS = ("nlu_fallback", "out_of_scope")
CRISIS_ACTION = "action_crisis_support"


@dataclass
class Report:
    days: int
    conversations: int = 0
    messages: int = 0
    crisis_replies: int = 0
    crisis_conversations: int = 0
    topics: List[Tuple[str, int]] = field(default_factory=list)
    unanswered: List[Tuple[str, int]] = field(default_factory=list)


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


def build_report(store: SQLTrackerStore, days: int, now: float | None = None) -> Report:
    """Reads the events of the last `days` days and tallies them."""
    since = (now if now is not None else time.time()) - days * SECONDS_PER_DAY
    events = SQLTrackerStore.SQLEvent.__table__
    query = sa.select(events.c.sender_id, events.c.type_name, events.c.intent_name,
                      events.c.action_name, events.c.data).where(events.c.timestamp >= since).order_by(events.c.id)
    with store.engine.connect() as connection:
        rows = list(connection.execute(query))
    crisis_senders = {r.sender_id for r in rows if r.action_name == CRISIS_ACTION
                      or (r.type_name == "user" and r.intent_name == "crisis")}
    user_rows = [r for r in rows if r.type_name == "user"]
    topics = Counter(
        knowledge().topic_for_intent(r.intent_name).title
        for r in user_rows if knowledge().topic_for_intent(r.intent_name)
    )
    unanswered = [
        " ".join((json.loads(r.data).get("text") or "").split())
        for r in user_rows
        if r.intent_name in UNANSWERED_INTENTS and r.sender_id not in crisis_senders
    ]
    return Report(
        days=days,
        conversations=len({r.sender_id for r in user_rows}),
        messages=len(user_rows),
        crisis_replies=sum(r.action_name == CRISIS_ACTION for r in rows),
        crisis_conversations=len(crisis_senders),
        topics=topics.most_common(),
        unanswered=group_similar([q for q in unanswered if q and not q.startswith("/")]),
    )


def markdown(report: Report, chart: str) -> str:
    lines = [
        f"# What patients asked {load_clinic().name}'s KAP assistant: the last {report.days} days", "",
        f"- Conversations: {report.conversations}",
        f"- Messages from patients: {report.messages}",
        f"- Crisis replies given: {report.crisis_replies} (in {report.crisis_conversations} conversations;"
        " their messages are not shown)", "",
        "## Topics asked most", "", "| topic | questions |", "|---|---|",
        *[f"| {topic} | {count} |" for topic, count in report.topics],
        "", "## Questions the bot could not answer (grouped by similarity)", "",
        "Fallbacks (not understood) and out-of-scope questions: what the information sheet does not cover.", "",
        "| example question | times asked |", "|---|---|",
        *[f"| {question.replace('|', '/')} | {count} |" for question, count in report.unanswered],
        "", f"![Topics and unanswered questions]({chart})", "",
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
