"""The intent classifier: trained, stored and loaded through Rasa's model storage as a trained
model is, then asked for the intent of messages it has not seen."""

import numpy
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_classifier import NgramIntentClassifier
from tests.support.pipeline import component_config

# A character n-gram counts once two examples have it: each intent's words are in two of them.
EXAMPLES = {
    "ask_depression": ["does kap help depression", "can it lift my depression", "low mood and sadness, does it help"],
    "ask_anxiety": ["does it calm anxiety", "my anxiety is bad, would kap help", "panic and worry"],
    "decline_cost": ["how much does it cost", "is it covered by insurance", "insurance and cost of a session"],
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("intent_classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    config = component_config(NgramIntentClassifier)
    data = TrainingData([Message(data={"text": t, "intent": i}) for i, texts in EXAMPLES.items() for t in texts])
    NgramIntentClassifier.create(config, storage, resource, context).train(data)
    return NgramIntentClassifier.load(config, storage, resource, context)


def predicted(classifier, text):
    (message,) = classifier.process([Message(data={"text": text})])
    return message.get("intent"), message.get("intent_ranking")


@pytest.mark.parametrize(
    "text, intent",
    [("deprssion??", "ask_depression"), ("anxity", "ask_anxiety"), ("insurence cost?", "decline_cost")],
)
def test_misspelt_fragments_reach_their_intent(trained, text, intent):
    assert predicted(trained, text)[0]["name"] == intent


def test_the_ranking_starts_with_the_intent_and_is_sorted_by_confidence(trained):
    intent, ranking = predicted(trained, "does it help my depression")
    assert ranking[0] == intent and len(ranking) == len(EXAMPLES)
    confidences = [entry["confidence"] for entry in ranking]
    assert confidences == sorted(confidences, reverse=True) and abs(sum(confidences) - 1) < 1e-6


def test_an_empty_message_still_gets_an_intent_and_no_error(trained):
    assert predicted(trained, "")[0]["name"] in EXAMPLES


def clause_intents(classifier, text):
    (message,) = classifier.process([Message(data={"text": text})])
    return [
        (text[e["start"] : e["end"]], e["value"]) for e in message.get("entities", []) if e["entity"] == "clause_intent"
    ]


def test_each_clause_of_a_short_message_is_read_on_its_own(trained):
    assert clause_intents(trained, "low mood and sadness + insurance cost?") == [
        ("low mood", "ask_depression"),
        ("sadness", "ask_depression"),
        ("insurance cost?", "decline_cost"),
    ]


def test_a_message_of_one_clause_or_a_long_story_gets_no_clause_reading(trained):
    assert clause_intents(trained, "does it calm anxiety") == []
    story = "my anxiety is bad, " + "and I worry all day " * 8 + "and how much does it cost"
    assert len(story.split()) > component_config(NgramIntentClassifier)["clause_max_words"]
    assert clause_intents(trained, story) == []


def test_the_trained_weights_are_stored_for_quick_predictions(trained):
    """Column-major weights (bot/nlu/ngram_model.py, quick_to_predict) give the probabilities
    row-major ones give."""
    regression = trained.classifier.named_steps["classifier"]
    assert regression.coef_.flags["F_CONTIGUOUS"]
    texts = ["does kap help anxiety", "how fast does it work", "what is ketamine therapy"]
    quick = trained.classifier.predict_proba(texts)
    regression.coef_ = numpy.ascontiguousarray(regression.coef_)
    assert numpy.allclose(trained.classifier.predict_proba(texts), quick)
    regression.coef_ = numpy.asfortranarray(regression.coef_)
