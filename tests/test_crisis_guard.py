"""The crisis safety net: crisis language always wins, other questions are left alone."""


import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from bot import PROJECT_ROOT
from bot.crisis_guard import CrisisGuard, is_crisis, load_patterns

PATTERNS = load_patterns(PROJECT_ROOT / "data" / "safety" / "crisis_patterns.yml")


def training_examples():
    """(intent, text) of every training example in data/nlu/."""
    return [
        (item["intent"], line[2:].strip())
        for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml"))
        for item in yaml.safe_load(path.read_text("utf-8"))["nlu"]
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
    crisis = [text for intent, text in training_examples() if intent == "crisis"]
    assert len(crisis) >= 50
    assert not [text for text in crisis if not is_crisis(text, PATTERNS)]


def test_questions_about_kap_and_chit_chat_are_not_mistaken_for_a_crisis():
    # Out-of-scope questions may mention overdose ("can you OD on ketamine?"): a crisis reply
    # is the safe answer there, so only the other intents are checked.
    others = [text for intent, text in training_examples() if intent not in ("crisis", "out_of_scope")]
    assert len(others) > 500
    assert not [text for text in others if is_crisis(text, PATTERNS)]


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
