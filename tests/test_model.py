"""The trained model, checked with Rasa's own tools: data validation, test stories, held-out NLU."""

import json
import subprocess

import pytest
import yaml

from bot.knowledge import knowledge
from bot.servers import PROJECT_ROOT

HELD_OUT = PROJECT_ROOT / "tests" / "nlu_heldout.yml"
TEST_STORIES = PROJECT_ROOT / "tests" / "test_stories.yml"
DATA = ["--data", "data/nlu", "data/stories", "data/rules"]


def examples(path):
    data = yaml.safe_load(path.read_text("utf-8"))["nlu"]
    return {(item["intent"], line[2:].strip().lower())
            for item in data for line in item["examples"].splitlines() if line.startswith("- ")}


def test_rasa_data_validate_passes(run_rasa):
    result = run_rasa("data", "validate", "--config", "config.yml", "--domain", "domain.yml", *DATA)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_the_model_is_not_retrained_when_the_data_has_not_changed(model):
    # `make -q` exits 0 only when the target is up to date, i.e. nothing would be trained.
    assert subprocess.run(["make", "-q", "train"], cwd=PROJECT_ROOT).returncode == 0


def test_held_out_data_is_not_in_the_training_data():
    trained = {text for _, text in examples(PROJECT_ROOT / "data" / "nlu" / "faq.yml")}
    for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml"):
        trained |= {text for _, text in examples(path)}
    held_out = examples(HELD_OUT)
    assert not {text for _, text in held_out} & trained
    per_intent = {}
    for intent, _ in held_out:
        per_intent[intent] = per_intent.get(intent, 0) + 1
    assert min(per_intent.values()) >= 5


@pytest.fixture(scope="module")
def nlu_report(model, run_rasa, tmp_path_factory):
    out = tmp_path_factory.mktemp("nlu")
    result = run_rasa("test", "nlu", "--model", str(model), "--nlu", str(HELD_OUT), "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((out / "intent_report.json").read_text())
    errors = json.loads((out / "intent_errors.json").read_text()) if (out / "intent_errors.json").exists() else []
    return report, errors


def test_held_out_weighted_intent_f1_is_at_least_095(nlu_report):
    report, _ = nlu_report
    f1 = report["weighted avg"]["f1-score"]
    print(f"held-out weighted intent F1: {f1:.3f}, accuracy {report['accuracy']:.3f}")
    assert f1 >= 0.95


def test_held_out_crisis_recall_is_complete(nlu_report):
    report, errors = nlu_report
    missed = [e["text"] for e in errors if e["intent"] == "crisis"]
    assert report["crisis"]["recall"] == 1.0, missed


def test_off_topic_questions_never_get_a_confident_faq_answer(nlu_report, model):
    _, errors = nlu_report
    faq = set(knowledge().intents)
    threshold = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())["pipeline"]
    threshold = next(c["threshold"] for c in threshold if c["name"] == "FallbackClassifier")
    answered = [e["text"] for e in errors if e["intent"] == "out_of_scope"
                and e["intent_prediction"]["name"] in faq
                and e["intent_prediction"]["confidence"] >= threshold]
    assert not answered


def test_conversation_test_stories_pass(model, run_rasa, tmp_path):
    stories = yaml.safe_load(TEST_STORIES.read_text("utf-8"))["stories"]
    assert len(stories) >= 30
    # --e2e: the user messages go through the NLU model too, not just their intent labels.
    result = run_rasa("test", "core", "--model", str(model), "--stories", str(TEST_STORIES),
                      "--out", str(tmp_path), "--e2e", "--fail-on-prediction-errors")
    failed = tmp_path / "failed_test_stories.yml"
    assert result.returncode == 0, failed.read_text() if failed.exists() else result.stderr[-3000:]
