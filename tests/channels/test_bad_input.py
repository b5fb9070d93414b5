"""Whatever is sent over REST gets a clear reply or a clear 4xx, and the server keeps answering."""

import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content.clinic import load_clinic
from bot.ops.http_client import post
from tests.support.rest_turns import say, texts

CLINIC = load_clinic()


def webhook(servers):
    return f"{servers.url}/webhooks/rest/webhook"


def new_sender():
    return f"bad-input-{uuid.uuid4().hex[:8]}"


def still_answers(servers):
    assert "very effective" in texts(say(servers, new_sender(), "how effective is ketamine therapy"))[0]


@pytest.mark.parametrize("message", ["", "   ", "\n\t  "], ids=["empty", "spaces", "whitespace"])
def test_an_empty_message_gets_asked_for_a_question(servers, message):
    (reply,) = texts(say(servers, new_sender(), message))
    assert "empty" in reply


def test_a_message_over_the_cap_is_asked_to_be_shortened_not_parsed(servers):
    (reply,) = texts(say(servers, new_sender(), "tell me about ketamine " * 5000))  # ~115 KB
    assert "shorten" in reply
    still_answers(servers)


def test_an_overlong_crisis_message_still_gets_the_crisis_reply(servers):
    message = "i have been thinking a lot. " * 100 + "i want to die"
    assert len(message) > CLINIC.max_message_chars
    sender = new_sender()
    (reply,) = texts(say(servers, sender, message))
    assert "988" in reply and "741741" in reply
    # Who is at risk went with it: thanks then get the crisis lines again, worded for the writer.
    (thanks,) = texts(say(servers, sender, "thank you"))
    assert thanks.startswith("You're welcome. Please contact") and "988" in thanks


@pytest.mark.parametrize(
    "body,content_type,status",
    [
        (b"{not json", "application/json", 400),
        (b'["a", "list"]', "application/json", 400),
        (json.dumps({"message": "hi"}).encode(), "application/json", 400),
        (json.dumps({"sender": "", "message": "hi"}).encode(), "application/json", 400),
        (json.dumps({"sender": 42, "message": "hi"}).encode(), "application/json", 400),
        (json.dumps({"sender": "a\x00b", "message": "hi"}).encode(), "application/json", 400),
        (json.dumps({"sender": "x" * 500, "message": "hi"}).encode(), "application/json", 400),
        (json.dumps({"sender": "a"}).encode(), "application/json", 400),
        (json.dumps({"sender": "a", "message": ["hi"]}).encode(), "application/json", 400),
        (json.dumps({"sender": "a", "message": "hi", "metadata": "x"}).encode(), "application/json", 400),
        (json.dumps({"sender": "a", "message": "hi"}).encode(), "text/plain", 415),
        (b"sender=a&message=hi", "application/x-www-form-urlencoded", 415),
        (b"\xff\xfe\x00garbage", "application/json", 400),
        (json.dumps({"sender": "a", "message": "x" * 300_000}).encode(), "application/json", 400),
    ],
    ids=[
        "invalid-json",
        "not-an-object",
        "no-sender",
        "empty-sender",
        "numeric-sender",
        "control-char-sender",
        "long-sender",
        "no-message",
        "list-message",
        "bad-metadata",
        "text-plain",
        "form",
        "binary",
        "huge-body",
    ],
)
def test_a_malformed_request_gets_a_clear_4xx(servers, body, content_type, status):
    got, reply = post(webhook(servers), body, content_type)
    assert got == status and reply["error"]
    still_answers(servers)


@pytest.mark.parametrize(
    "message",
    [
        "how\x00 effective\x07 is ketamine\x1b[31m therapy",
        "💊🧠❓ does ketamine therapy work?? 😢",
        "هل العلاج بالكيتامين فعال؟",
        "‮how effective is KAP‬",
        "<img src=x onerror=alert(1)>",
        "<script>alert('x')</script> does KAP help anxiety",
        "'; DROP TABLE events; --",
        "1 OR 1=1; SELECT * FROM events",
        "¿Qué tan efectiva es la terapia con ketamina?",
        "ケタミン療法は効果がありますか",
        "{{7*7}} ${jndi:ldap://x}",
    ],
    ids=[
        "control",
        "emoji",
        "arabic",
        "bidi-override",
        "html",
        "script",
        "sql-drop",
        "sql-or",
        "spanish",
        "japanese",
        "template-injection",
    ],
)
def test_odd_text_gets_a_reply_and_is_not_executed(servers, message):
    replies = say(servers, new_sender(), message)
    assert texts(replies) and all(reply.strip() for reply in texts(replies))
    still_answers(servers)


def test_html_sent_by_a_user_is_never_echoed_back(servers):
    replies = say(servers, new_sender(), "<img src=x onerror=alert(1)>")
    assert "onerror" not in json.dumps(replies)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message=st.text(max_size=300))
def test_any_unicode_message_gets_a_reply_and_never_a_5xx(servers, message):
    status, replies = post(webhook(servers), json.dumps({"sender": "fuzz", "message": message}).encode())
    assert status == 200, replies
    assert texts(replies)
