"""Actions for the conversation around the answers: greeting, help, fallback, declines, crisis.

Their wording is in domain.yml; the clinic's contact details and crisis resources come from
clinic.yml at every reply, so a clinic changes them without retraining.
"""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import answer_question, one_topic_either_way
from actions.conditions import named_topics, say_not_in_sheet, unnamed_condition
from actions.suggestions import suggest_topics, suggestion_buttons
from bot.channels.questions import asks_a_question
from bot.content.knowledge import knowledge
from bot.content.responses import utter


class ActionGreet(Action):
    """Greets with a disclosure (automated, general information, how to reach a person)."""

    def name(self) -> Text:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        utter(dispatcher, "utter_greet")
        suggest_topics(dispatcher, "utter_suggestions")
        return []


class ActionShowHelp(Action):
    """Says what the assistant can do, with example questions as buttons."""

    def name(self) -> Text:
        return "action_show_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        suggest_topics(dispatcher, "utter_help")
        return []


class ActionAskRephrase(Action):
    """For messages the bot is unsure about: asks to rephrase, offering example questions; for a
    condition the sheet does not name, says so; a message that names two or more of the sheet's
    topics ("ptsd + alcohol, both?") gets their answers, however the rest of it reads, and one
    read as either of two intents that lead with the same answer gets that answer."""

    def name(self) -> Text:
        return "action_ask_rephrase"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if len(named_topics(tracker)) >= 2:
            return answer_question(dispatcher, tracker, None)
        either_way = one_topic_either_way(tracker)
        if either_way is not None:
            return answer_question(dispatcher, tracker, either_way)
        unnamed = unnamed_condition(tracker)
        if unnamed is not None:
            say_not_in_sheet(dispatcher, unnamed)
        else:
            suggest_topics(dispatcher, "utter_ask_rephrase")
        return []


class ActionExplainAssistant(Action):
    """Answers "are you human?" and "are you a doctor?": automated, no advice, who to contact."""

    def name(self) -> Text:
        return "action_explain_assistant"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        utter(dispatcher, "utter_explain_assistant")
        return []


class ActionDeclineOutOfScope(Action):
    """Declines questions the document does not answer, in words for their kind (cost, dosage,
    safety, ...: the `decline_*` intents), and refers to the care team; for a condition the sheet
    does not name, says so by name."""

    def name(self) -> Text:
        return "action_decline_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        if intent.startswith("decline_"):
            # A kind of question the sheet does not cover, whatever condition it names.
            utter(dispatcher, f"utter_{intent}", buttons=suggestion_buttons())
            return []
        unnamed = unnamed_condition(tracker)
        if unnamed is not None:
            say_not_in_sheet(dispatcher, unnamed)
        else:
            utter(dispatcher, "utter_out_of_scope", buttons=suggestion_buttons())
        return []


class ActionCrisisSupport(Action):
    """Gives the crisis resources from clinic.yml; when only the crisis classifier read a crisis
    in a message the intent model was sure asks one of the sheet's questions (the crisis guard's
    `checked_question`), answers it after them, without a decline or the feedback question."""

    def name(self) -> Text:
        return "action_crisis_support"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        utter(dispatcher, "utter_crisis")
        question = next(tracker.get_latest_entity_values("checked_question"), None)
        if knowledge().topic_for_intent(question) is None:
            return []
        return answer_question(dispatcher, tracker, question, after_crisis_resources=True)


class ActionCrisisFarewell(Action):
    """After a crisis reply, answers thanks or a goodbye with the crisis lines themselves, not a
    pointer to them: a goodbye may be a last one, and the crisis reply may have scrolled away
    (the in_crisis variants of utter_you_are_welcome and utter_goodbye in domain.yml)."""

    def name(self) -> Text:
        return "action_crisis_farewell"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        utter(dispatcher, "utter_goodbye" if intent == "goodbye" else "utter_you_are_welcome")
        return []


class ActionCrisisCheck(Action):
    """Gives the crisis resources as a check-in, when only the model saw a crisis; when the
    message also asked one of the sheet's questions (the crisis guard's `checked_question`), or
    asked a question that names the sheet's topics ("meth. 6 years. does this work for
    addiction?"), answers it after the check-in, so that a patient who only sounded distressed is
    not left with "I'm not sure I understood". Never a decline after a check-in: to someone in crisis,
    "I can't help with that here" would read as a refusal."""

    def name(self) -> Text:
        return "action_crisis_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        question = next(tracker.get_latest_entity_values("checked_question"), None)
        asked = knowledge().topic_for_intent(question) is not None
        if not asked and asks_a_question(tracker.latest_message.get("text") or ""):
            # The model was unsure what was asked, but the question may name the sheet's topics.
            named = [] if unnamed_condition(tracker) is not None else named_topics(tracker)
            question = named[0].intent if len(named) == 1 else None
            asked = bool(named)
        if not asked:
            utter(dispatcher, "utter_crisis_check")
            return []
        utter(dispatcher, "utter_crisis_check_before_answer")
        return answer_question(dispatcher, tracker, question, after_crisis_resources=True)
