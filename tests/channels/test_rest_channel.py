"""End to end: the real action server and `rasa run`, talked to over the REST channel."""

import uuid

import pytest

from tests.support.rest_turns import say, texts


@pytest.fixture
def sender():
    return f"e2e-{uuid.uuid4().hex[:8]}"


def test_an_answer_comes_with_a_quote_and_a_citation(servers, sender):
    replies = say(servers, sender, "how effective is ketamine therapy?")
    sent = texts(replies)
    assert "very effective" in sent[0] and "several studies" in sent[0]
    assert any(t.startswith("“KAP may be effective") and "doi:10.2147/JPR.S360733" in t for t in sent)
    citations = [r["custom"] for r in replies if "custom" in r]
    assert citations and citations[0]["type"] == "citation"
    assert citations[0]["citation"]["doi"] == "10.2147/JPR.S360733"


def test_a_follow_up_gives_the_source_of_what_was_just_said(servers, sender):
    say(servers, sender, "can ketamine therapy help me quit drinking")
    sent = texts(say(servers, sender, "where is that from?"))
    assert any("Journal of Pain Research" in t and "35734507" in t for t in sent)


def test_a_question_the_document_does_not_answer_is_declined(servers, sender):
    sent = " ".join(texts(say(servers, sender, "how much does a session cost?")))
    assert "care team" in sent and "+1 555 0100" in sent
    assert "60" not in sent and "review" not in sent


def test_crisis_in_the_middle_of_a_conversation_gets_the_crisis_reply_only(servers, sender):
    say(servers, sender, "hi")
    say(servers, sender, "does KAP help with anxiety")
    replies = say(servers, sender, "does it work fast? i dont want to live anymore")
    sent = texts(replies)
    assert len(replies) == 1
    for needle in ("988", "911", "741741"):
        assert needle in sent[0]
    assert "KAP" not in sent[0]
