"""End to end over REST: two questions in one message get two replies, in order."""

import uuid

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


def test_a_crisis_message_with_a_question_gets_only_the_crisis_reply(servers):
    text = reply(servers, "i want to end my life. also how fast does kap work")
    assert "988" in text
    assert knowledge().topic("speed").answer not in text


def test_two_topics_joined_by_a_texting_n_get_both_answers_in_order(servers):
    text = reply(servers, "mindfulnes n creativity?")
    assert_in_order(text, knowledge().topic("mindfulness").answer, knowledge().topic("creativity").answer)


def test_a_crisis_joined_to_a_topic_by_a_sign_gets_only_the_crisis_reply(servers):
    text = reply(servers, "kms + anxiety")
    assert "988" in text
    assert knowledge().topic("anxiety").answer not in text
