"""The intent classifier: trained, stored and loaded through Rasa's model storage as a trained
model is, then asked for the intent of messages it has not seen."""

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
