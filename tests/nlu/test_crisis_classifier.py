"""The learned crisis classifier: trained, stored and loaded as Rasa does, read sentence by sentence,
and its score turned into the crisis reply or the check-in by the crisis guard."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.crisis_classifier import CRISIS_SCORE, CrisisClassifier, crisis_examples, sentences
from bot.nlu.crisis_guard import CrisisGuard
from tests.support.pipeline import component_config

EXAMPLES = CrisisClassifier.get_default_config()["examples_file"]


def test_a_message_is_read_whole_and_sentence_by_sentence():
    assert sentences("does it work?") == ["does it work?"]
    assert sentences("I'm 40. Tired all the time! Does KAP help?") == [
        "I'm 40. Tired all the time! Does KAP help?",
        "I'm 40.",
        "Tired all the time!",
        "Does KAP help?",
    ]
    assert sentences("first line\nsecond line") == ["first line\nsecond line", "first line", "second line"]


def test_the_examples_are_many_and_never_on_both_sides():
    from bot import PROJECT_ROOT

    examples = crisis_examples(PROJECT_ROOT / EXAMPLES)
    assert len(examples["crisis"]) >= 1000 and len(examples["not_crisis"]) >= 2000
    assert not set(examples["crisis"]) & set(examples["not_crisis"])


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A classifier trained on the project's examples and a few NLU examples, stored and then
    loaded back through Rasa's model storage, as a trained model is."""
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("crisis_classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    nlu = TrainingData(
        [
            Message(data={"text": text, "intent": intent})
            for text, intent in [
                ("i want to die", "crisis"),
                ("how effective is KAP for depression", "ask_effectiveness"),
            ]
        ]
    )
    CrisisClassifier.create(CrisisClassifier.get_default_config(), storage, resource, context).train(nlu)
    return CrisisClassifier.load(CrisisClassifier.get_default_config(), storage, resource, context)


def scored(classifier, text):
    (message,) = classifier.process([Message(data={"text": text})])
    return message.get(CRISIS_SCORE)


def test_a_crisis_scores_high_and_a_question_low(trained):
    assert scored(trained, "i keep thinking everyone would be fine if i just wasnt around anymore") > 0.9
    assert scored(trained, "how long do the effects of ketamine therapy last") < 0.5  # below the check-in
    assert scored(trained, "   ") == 0.0


def test_one_crisis_sentence_in_a_long_message_is_enough(trained):
    story = (
        "I'm 52 and I've had depression since my twenties. I've tried four antidepressants. "
        "Honestly I don't see the point of waking up anymore. Does KAP work when nothing else has?"
    )
    assert scored(trained, story) > 0.9


def guarded(text, score, intent="nlu_fallback", confidence=0.4):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set(CRISIS_SCORE, score)
    (message,) = CrisisGuard(component_config(CrisisGuard)).process([message])
    return message.get("intent")["name"], {e["entity"]: e["value"] for e in message.get("entities", [])}


def test_a_high_score_is_a_crisis_even_when_no_pattern_matches():
    assert guarded("the SI is back and louder", 0.97) == ("crisis", {"crisis_subject": "self"})
    assert guarded("my brother has been on the roof for an hour and he won't come down", 0.97) == (
        "crisis",
        {"crisis_subject": "someone_else"},
    )


def test_a_crisis_only_the_classifier_read_carries_a_question_the_model_read_well_enough():
    question = "how quick will i feel better? the pills took months"
    assert guarded(question, 0.99, "ask_speed", 0.65) == (
        "crisis",
        {"crisis_subject": "self", "checked_question": "ask_speed"},
    )
    # Not when the model is less sure than `answer_with_check_in`, nor when a pattern matched.
    assert guarded(question, 0.99, "ask_speed", 0.5) == ("crisis", {"crisis_subject": "self"})
    assert guarded("i want to kill myself, how fast does it work?", 0.99, "ask_speed", 0.95) == (
        "crisis",
        {"crisis_subject": "self"},
    )


def test_a_middling_score_gets_the_check_in_and_a_low_one_nothing():
    assert guarded("the SI is back and louder", 0.7)[0] == "crisis_check"
    assert guarded("does ketamine help rumination", 0.1, intent="ask_rumination")[0] == "ask_rumination"


def test_a_check_in_carries_a_question_the_model_read_well_enough_to_answer():
    question = "I don't trust anyone, not even myself. Can ketamine therapy change that?"
    assert guarded(question, 0.8, "ask_trust", 0.7) == ("crisis_check", {"checked_question": "ask_trust"})
    # Not when the model was unsure of the question, nor when nothing was asked.
    assert guarded(question, 0.8, "ask_trust", 0.5) == ("crisis_check", {})
    assert guarded("the pain in my chest feels heavier every week", 0.8, "ask_pain", 0.88) == ("crisis_check", {})
    # Nor when the model itself read a crisis (its runner-up is no question asked).
    assert guarded("is there anything for someone like me?", 0.5, "crisis", 0.7) == ("crisis_check", {})


def test_a_middling_score_leaves_an_intent_the_model_is_sure_of():
    message = Message(data={"text": "i called and nobody picked up what do i do"})
    message.set("intent", {"name": "ask_for_help", "confidence": 0.95})
    message.set(CRISIS_SCORE, 0.7)
    (message,) = CrisisGuard(component_config(CrisisGuard)).process([message])
    assert message.get("intent")["name"] == "ask_for_help"


def test_a_pattern_wins_whatever_the_score():
    assert guarded("i want to kill myself", 0.0)[0] == "crisis"


def test_the_guard_refuses_a_configuration_without_its_thresholds():
    with pytest.raises(ValueError, match="config.yml: the CrisisGuard component needs crisis_threshold"):
        CrisisGuard(CrisisGuard.get_default_config())


def guarded_pattern(text, score):
    message = Message(data={"text": text})
    message.set("intent", {"name": "out_of_scope", "confidence": 0.6})
    message.set(CRISIS_SCORE, score)
    (message,) = CrisisGuard(component_config(CrisisGuard)).process([message])
    return message.get("intent")["name"]


def test_a_professional_mention_gets_the_check_in_unless_it_reads_like_a_crisis():
    nurse = "I'm an ICU nurse; how do you screen for suicide risk before KAP?"
    assert guarded_pattern(nurse, 0.05) == "crisis_check"
    assert guarded_pattern(nurse, 0.8) == "crisis"
    # Outside a professional or fictional frame, naming suicide is always the crisis reply.
    assert guarded_pattern("been seriously considering suicide", 0.05) == "crisis"
    # And a pattern that is more than a mention always wins.
    assert guarded_pattern("I'm a nurse and I want to kill myself", 0.05) == "crisis"


def test_rasa_retrains_the_classifier_when_its_examples_change(tmp_path):
    """Rasa's cache knows the NLU data, not the examples file: its content is in the fingerprint."""
    examples = tmp_path / "examples.yml"
    examples.write_text("crisis: [i want to die]\nnot_crisis: [hello]\n", "utf-8")
    config = {"examples_file": str(examples)}
    before = CrisisClassifier.fingerprint_addon(config)
    examples.write_text("crisis: [i want to die, kms]\nnot_crisis: [hello]\n", "utf-8")
    assert CrisisClassifier.fingerprint_addon(config) != before


@pytest.mark.parametrize(
    "text",
    [
        "I feel suicidal, is there evidence KAP helps?",
        "I'm suicidal, is KAP safe? what does the clinical evidence say?",
        "my class is awful and I want to commit suicide",
        "as a student I feel suicidal",
        "suicidal and desperate, what are the clinical trials results for KAP",
        "overdosed an hour ago, what does the first aid say",
        "I'm a student and I can't stop thinking about suicide",
        "as a teacher I have to admit that more and more often these days suicide seems like the answer",
        "I'm a student, ever since my mum died the self harm has started again",
        "I'm a nurse, I've been having really strong and frequent suicidal thoughts",
        # Found in review of the widened frames: the patient's own life is no frame, and the
        # writer counts anywhere in the sentence.
        "I manage most days but the suicidal thoughts are back, does KAP help with that?",
        "My doctor says KAP might help. does it work for suicidal thoughts?",
        "Nurse here. Accidentally overdosed on my meds, do I still come to my session?",
        "as my therapist put it, suicide feels like the only way out for me",
    ],
)
def test_a_writer_at_risk_is_never_taken_for_a_professional_mention(text):
    """Found in review: the writer in the mention's sentence, a poisoning, or a bare topic word
    ("evidence", "trials") must never turn the crisis reply into the check-in."""
    assert guarded_pattern(text, 0.01) == "crisis"


def test_a_professional_who_names_the_subject_far_from_themself_gets_the_check_in():
    registrar = "I'm a psychiatry registrar writing a literature review on ketamine and suicidal ideation"
    assert guarded_pattern(registrar, 0.05) == "crisis_check"


@pytest.mark.parametrize(
    "text",
    [
        "Psychiatric nurse here: how do you screen for suicide risk before KAP?",
        "I'm a social work student writing about self-harm in care leavers",
        "For a public health project: which datasets record suicide among farmers?",
        "I teach a sixth-form class on mental health; can you suggest readings on self-harm?",
        "Which film ends with the suicide of both lovers? A quiz question.",
    ],
)
def test_a_mention_in_a_professional_academic_or_fictional_frame_gets_the_check_in(text):
    """Found on set 17 (then a development set): most of its false alarms were such mentions."""
    assert guarded_pattern(text, 0.05) == "crisis_check"


def test_an_overdose_named_in_a_frame_keeps_the_crisis_reply_that_says_to_call_poison_control():
    assert guarded_pattern("Critical care nurse here: how do you manage an overdose in the waiting room?", 0.05) == (
        "crisis"
    )


def test_text_without_words_is_not_scored(trained):
    for text in (".", "?!.", "1.", "🙂"):
        assert scored(trained, text) == 0.0
    assert sentences("is it covered? .") == ["is it covered? ."]
