"""A safety net behind the NLU model: crisis language always yields the `crisis` intent.

A statistical classifier can be unsure, or be pulled towards an FAQ intent when a message mixes
a crisis with a question about KAP. This component runs after the FallbackClassifier and
overrides whatever was predicted when a message matches one of the patterns in
data/safety/crisis_patterns.yml, so that a crisis phrase is never lost to low confidence.

The learned crisis classifier (bot/nlu/crisis_classifier.py) runs before it and scores each message:
a score at or above `crisis_threshold` is a crisis too, for the phrasings no pattern foresaw.
A score at or above `check_threshold` (unless the intent model is at least `sure_of_another`
sure of another intent: "what do I do now?" after a crisis reply is a request for help), or the
intent model alone predicting `crisis`, makes the intent `crisis_check`: the bot then gives the
crisis resources as a careful check-in ("if you are thinking of harming yourself...") rather than
as the crisis reply. Both learned signals
generalise from words such as "kill", "dead" or "cut", and so also fire on everyday idioms
("my feet are killing me"); the check-in reaches a person in crisis whom the patterns missed
without telling everyone else that they are in danger. When the message also asks a question
that the intent model read with at least `answer_with_check_in` confidence, the guard passes that
intent on as the `checked_question` entity, and the bot answers it after the check-in when it is
one of the sheet's questions: a patient who sounded distressed and asked how fast KAP works gets
the resources and the answer, not "I'm not sure I understood". So it does after a crisis reply
that only the classifier gave. A message whose only patterns name the subject (`mention` in the
patterns file), set in a professional, academic or fictional frame (a nurse asking about suicide
risk screening, a student's essay on Durkheim), gets the check-in too when its score is below
`named_only_threshold`; so does a crisis told as a past episode that is over ("I was suicidal ten
years ago, I'm doing well now"), when its score is below `past_episode_threshold`.

It also tells the dialogue what kind of crisis it is, as entities that fill slots: `crisis_kind`
("poisoning" for an overdose or a poisoning) and `crisis_subject` ("self" or "someone_else"),
so that the reply can say to call Poison Control, or speak to a person helping someone else.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.channels.questions import asks_a_question
from bot.nlu.crisis_classifier import CRISIS_SCORE
from bot.nlu.crisis_patterns import CrisisSignal, crisis_patterns

THRESHOLDS = (
    "crisis_threshold",
    "check_threshold",
    "sure_of_another",
    "named_only_threshold",
    "past_episode_threshold",
    "answer_with_check_in",
)
# The entity that carries, with the check-in or the crisis reply, the question the bot answers after it.
CHECKED_QUESTION = "checked_question"


def whole_message_entities(values: Dict[Text, Text], text: str) -> List[Dict[Text, Any]]:
    """Entities set by the guard, one per name and value; they span the whole message."""
    return [
        {
            ENTITY_ATTRIBUTE_TYPE: name,
            ENTITY_ATTRIBUTE_VALUE: value,
            ENTITY_ATTRIBUTE_START: 0,
            ENTITY_ATTRIBUTE_END: len(text),
            EXTRACTOR: CrisisGuard.__name__,
        }
        for name, value in values.items()
    ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisGuard(GraphComponent, IntentClassifier):
    """Sets the intent to `crisis` with full confidence when crisis language is found."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # The thresholds are set in config.yml only (THRESHOLDS), where they were chosen.
        return {"intent": "crisis", "check_intent": "crisis_check"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        missing = [name for name in THRESHOLDS if name not in config]
        if missing:
            raise ValueError(f"config.yml: the CrisisGuard component needs {', '.join(missing)}")
        # The same patterns, read once, as the channels' screening and the widget use.
        self.patterns = crisis_patterns()
        self.intent = config["intent"]
        self.check_intent = config["check_intent"]
        self.crisis_threshold = float(config["crisis_threshold"])
        self.check_threshold = float(config["check_threshold"])
        self.sure_of_another = float(config["sure_of_another"])
        self.named_only_threshold = float(config["named_only_threshold"])
        self.past_episode_threshold = float(config["past_episode_threshold"])
        self.answer_with_check_in = float(config["answer_with_check_in"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisGuard":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            score = message.get(CRISIS_SCORE) or 0.0
            signal = self.patterns.find_in_message(text)
            # No pattern: only the classifier read a crisis (see _crisis_reply).
            only_scored = signal is None and score >= self.crisis_threshold
            if only_scored:
                signal = self.patterns.subject_of(text)
            if signal is not None and self._a_mention_in_a_frame(signal, text, score):
                self._check_in(message, 1.0 - score)
            elif signal is not None and signal.in_the_past and score < self.past_episode_threshold:
                self._check_in(message, 1.0 - score)
            elif signal is not None:
                self._crisis_reply(message, signal, only_scored)
            elif score >= self.check_threshold and not self._sure_of_another_intent(message):
                self._check_in(message, score)
            elif (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == self.intent:
                self._check_in(message, message.get(INTENT).get(PREDICTED_CONFIDENCE_KEY, 0.0))
        return messages

    def _a_mention_in_a_frame(self, signal: CrisisSignal, text: str, score: float) -> bool:
        """Whether the message only names the subject (never of the writer, never an overdose or a
        poisoning, whose reply says to call Poison Control now), in a professional, academic or
        fictional frame, and scores unlike a crisis."""
        return (
            signal.named_only
            and not signal.poisoning
            and score < self.named_only_threshold
            and self.patterns.in_a_frame(text)
        )

    def _crisis_reply(self, message: Message, signal: CrisisSignal, only_scored: bool) -> None:
        """Makes the intent `crisis`, with what kind of crisis it is and about whom. When only the
        classifier read a crisis and the intent model read one of the sheet's questions with
        `answer_with_check_in` confidence, the question goes with it, to be answered after the
        crisis reply, as after a check-in: "how quick will i feel better? the pills took months"
        or "i've pulled away from all my mates, any effect on that?" is most often a patient's
        question, and a reply of crisis lines alone leaves it unanswered."""
        question = self._question_to_answer(message, self.answer_with_check_in) if only_scored else None
        self._set_intent(message, self.intent, 1.0)
        values = signal.slot_values()
        if question is not None:
            values[CHECKED_QUESTION] = question
        self._add_entities(message, values)

    def _check_in(self, message: Message, confidence: float) -> None:
        """Makes the intent the check-in, with the question to answer after it, if there is one."""
        question = self._question_to_answer(message, self.answer_with_check_in)
        self._set_intent(message, self.check_intent, confidence)
        if question is not None:
            self._add_entities(message, {CHECKED_QUESTION: question})

    def _question_to_answer(self, message: Message, confidence: float) -> Optional[Text]:
        """The intent of a question the message asks, when the intent model read it with at
        least `confidence`."""
        intent = message.get(INTENT) or {}
        if (
            intent.get(INTENT_NAME_KEY) not in (self.intent, self.check_intent, None)
            and intent.get(PREDICTED_CONFIDENCE_KEY, 0.0) >= confidence
            and asks_a_question(message.get(TEXT) or "")
        ):
            return intent[INTENT_NAME_KEY]
        return None

    def _add_entities(self, message: Message, values: Dict[Text, Text]) -> None:
        entities = message.get(ENTITIES, []) + whole_message_entities(values, message.get(TEXT) or "")
        message.set(ENTITIES, entities, add_to_output=True)

    def _sure_of_another_intent(self, message: Message) -> bool:
        """Whether the intent model confidently predicted an intent other than `crisis`."""
        intent = message.get(INTENT) or {}
        return (
            intent.get(INTENT_NAME_KEY) not in (self.intent, None)
            and intent.get(PREDICTED_CONFIDENCE_KEY, 0.0) >= self.sure_of_another
        )

    def _set_intent(self, message: Message, name: Text, confidence: float) -> None:
        """Makes `name` the predicted intent, first in the ranking, in place of `crisis`."""
        intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
        ranking = [
            entry
            for entry in message.get(INTENT_RANKING_KEY, [])
            if entry.get(INTENT_NAME_KEY) not in (self.intent, name)
        ]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent] + ranking, add_to_output=True)
