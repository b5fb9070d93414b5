"""The crisis safety net: crisis language always wins, other questions are left alone."""

from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from bot.crisis_guard import PROJECT_ROOT, CrisisGuard, is_crisis, load_patterns

PATTERNS = load_patterns(PROJECT_ROOT / "data" / "safety" / "crisis_patterns.yml")


def training_examples(filename):
    data = yaml.safe_load((PROJECT_ROOT / "data" / "nlu" / filename).read_text("utf-8"))
    return [
        (item["intent"], line[2:].strip())
        for item in data["nlu"]
        for line in item["examples"].splitlines()
        if line.startswith("- ")
    ]


@pytest.mark.parametrize("text", [
    "I want to kill myself",
    "i feel suicidal tonight",
    "honestly i just wanna die",
    "im gonna end my life",
    "I took too many of my pills an hour ago",
    "been self harming again",
    "kms lol no but seriously kms",
    "how effective is KAP? i keep thinking about suicide",
    "does ketamine therapy work fast? i dont want to be alive anymore",
    "everyone would be better off without me",
])
def test_crisis_language_is_caught(text):
    assert is_crisis(text, PATTERNS)


def test_every_crisis_training_example_is_caught():
    missed = [text for _, text in training_examples("crisis.yml") if not is_crisis(text, PATTERNS)]
    assert not missed


@pytest.mark.parametrize("filename", ["faq.yml", "followups.yml", "chitchat.yml"])
def test_questions_about_kap_and_chit_chat_are_not_mistaken_for_a_crisis(filename):
    flagged = [text for _, text in training_examples(filename) if is_crisis(text, PATTERNS)]
    assert not flagged


def make_message(text, intent, confidence):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": intent, "confidence": confidence},
                                   {"name": "crisis", "confidence": 0.01}])
    return message


def test_the_component_overrides_a_fallback_with_full_confidence():
    guard = CrisisGuard(CrisisGuard.get_default_config())
    (message,) = guard.process([make_message("is KAP good if i want to die", "nlu_fallback", 0.6)])
    assert message.get("intent") == {"name": "crisis", "confidence": 1.0}
    ranking = message.get("intent_ranking")
    assert ranking[0]["name"] == "crisis" and [r["name"] for r in ranking].count("crisis") == 1


def test_the_component_leaves_other_messages_alone():
    guard = CrisisGuard(CrisisGuard.get_default_config())
    (message,) = guard.process([make_message("does KAP help anxiety", "ask_anxiety", 0.9)])
    assert message.get("intent") == {"name": "ask_anxiety", "confidence": 0.9}


def test_a_broken_pattern_is_reported_by_name(tmp_path):
    bad = tmp_path / "patterns.yml"
    bad.write_text("patterns:\n  - '(unclosed'\n", "utf-8")
    with pytest.raises(ValueError, match="unclosed"):
        load_patterns(bad)
