"""End to end over REST: two questions in one message get two replies, in order."""

import uuid

import pytest

from bot.content.knowledge import knowledge
from bot.content.responses import render
from tests.support.rest_turns import say, texts


def reply(servers, message):
    return "\n".join(texts(say(servers, f"two-{uuid.uuid4().hex[:8]}", message)))


def assert_in_order(text, first, second):
    assert first in text and second in text
    assert text.index(first) < text.index(second)


def test_a_topic_and_a_question_the_sheet_does_not_cover_get_the_answer_then_the_decline(servers):
    text = reply(servers, "how quickly does ketamine therapy start working? and is ketamine addictive")
    assert_in_order(text, knowledge().topic("speed").answer, render("utter_decline_addictive"))


def test_two_topics_joined_by_a_texting_n_get_both_answers_in_order(servers):
    text = reply(servers, "mindfulnes n creativity?")
    assert_in_order(text, knowledge().topic("mindfulness").answer, knowledge().topic("creativity").answer)


@pytest.mark.parametrize(
    "message, topic",
    [
        ("i want to end my life. also how fast does kap work", "speed"),
        # joined to a topic by a sign
        ("kms + anxiety", "anxiety"),
        # found in review: "goodbye world" ends a sentence only once split off the question
        ("goodbye world and how fast does kap work", "speed"),
    ],
)
def test_a_crisis_message_with_a_question_gets_only_the_crisis_reply(servers, message, topic):
    text = reply(servers, message)
    assert "988" in text
    assert knowledge().topic(topic).answer not in text


def test_a_topic_named_before_and_a_question_gets_the_answer_then_the_decline(servers):
    text = reply(servers, "chronic pain, and is it covered by insurance?")
    assert_in_order(text, knowledge().topic("pain").answer, render("utter_decline_cost"))
