"""End to end over REST: two questions in one message get two replies, in order."""

import uuid

from bot.content.knowledge import knowledge
from bot.content.responses import render
from tests.support.rest_turns import say, texts


def reply(servers, message):
    return "\n".join(texts(say(servers, f"two-{uuid.uuid4().hex[:8]}", message)))


def test_a_topic_and_a_question_the_sheet_does_not_cover_get_the_answer_then_the_decline(servers):
    text = reply(servers, "how quickly does ketamine therapy start working? and is ketamine addictive")
    answer, decline = knowledge().topic("speed").answer, render("utter_decline_addictive")
    assert answer in text and decline in text
    assert text.index(answer) < text.index(decline)


def test_a_crisis_message_with_a_question_gets_only_the_crisis_reply(servers):
    text = reply(servers, "i want to end my life. also how fast does kap work")
    assert "988" in text
    assert knowledge().topic("speed").answer not in text
