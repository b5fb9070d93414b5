"""The messaging channels end to end: Twilio (SMS), Telegram, Slack and Facebook Messenger.

Each channel is started from its commented block of credentials.yml (secrets from environment
variables, as documented), receives its platform's own webhook requests, and replies through a
fake of the platform's API on loopback (the channels' `api_url`). The tests check what each
platform would deliver: plain text of at most 1,600 characters a message, never a payload.
One pair of servers for the module.
"""

import asyncio
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple
from urllib.parse import parse_qsl, urlencode

import pytest
import yaml
from rasa.core.channels.channel import OutputChannel
from twilio.request_validator import RequestValidator

from bot import PROJECT_ROOT
from bot.channels.messaging import (
    MAX_MESSAGE_CHARS,
    PlainTextOutput,
    ScreenedTwilioInput,
    hub_signature_256_is_valid,
    message_parts,
    plain_text,
)
from bot.content.knowledge import knowledge
from bot.content.responses import render
from bot.ops.http_client import get, post
from bot.ops.servers import BotServers, free_port

PUBLIC = "https://bot.clinic.example/webhooks"
SECRETS = {
    "TELEGRAM_TOKEN": "123456789:TEST-telegram-token",
    "TELEGRAM_BOT_NAME": "kap_test_bot",
    "TELEGRAM_WEBHOOK_URL": f"{PUBLIC}/telegram/webhook",
    "SLACK_BOT_TOKEN": "xoxb-test-token",
    "SLACK_CHANNEL": "C0CLINIC",
    "SLACK_SIGNING_SECRET": "test-slack-signing-secret",
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "test-twilio-auth-token",
    "TWILIO_NUMBER": "+15550100000",
    "TWILIO_WEBHOOK_URL": f"{PUBLIC}/twilio/webhook",
    "FACEBOOK_VERIFY_TOKEN": "test-verify-token",
    "FACEBOOK_APP_SECRET": "test-app-secret",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "test-page-token",
}
CHANNELS = {
    "bot.channels.messaging.ScreenedTwilioInput": "twilio",
    "bot.channels.messaging.ScreenedTelegramInput": "telegram",
    "bot.channels.messaging.ScreenedSlackInput": "slack",
    "bot.channels.messaging.ScreenedFacebookInput": "facebook",
}
QUESTION = "how effective is ketamine therapy?"
CRISIS = "i want to end my life"
# What a text-only app would show as a payload: JSON, or a Rasa intent like "/ask_effectiveness".
PAYLOAD = re.compile(r"[{}]|(^|[\s(])/[a-z_]")
RICH_FIELDS = {"MediaUrl", "reply_markup", "blocks", "attachments", "attachment", "quick_replies"}


def documented_blocks() -> Dict[str, Dict[str, Any]]:
    """The commented-out messaging channel blocks of credentials.yml, uncommented."""
    lines, inside = [], False
    for line in (PROJECT_ROOT / "credentials.yml").read_text("utf-8").splitlines():
        inside = line.startswith("# bot.channels.messaging.") or (inside and line.startswith("#   "))
        if inside:
            lines.append(line[2:])
    return yaml.safe_load("\n".join(lines))


class Delivery(NamedTuple):
    """A text message the platform was asked to deliver."""

    recipient: str
    text: str
    fields: Dict[str, Any]


def as_delivery(path: str, fields: Dict[str, Any]) -> Optional[Delivery]:
    """The text message an API request asks the platform to deliver, if it is one."""
    if path.endswith("/Messages.json"):
        return Delivery(fields["To"], fields["Body"], fields)
    if path.endswith("/sendMessage"):
        return Delivery(str(fields["chat_id"]), fields["text"], fields)
    if path.endswith("/chat.postMessage"):
        return Delivery(fields["channel"], fields["text"], fields)
    if path.endswith("/me/messages") and "message" in fields:
        return Delivery(fields["recipient"]["id"], fields["message"].get("text"), fields)
    return None


def platform_answer(path: str, fields: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
    """What the platform's API answers (enough for each client library)."""
    if path.endswith("/Messages.json"):
        return 201, {
            "sid": "SM" + uuid.uuid4().hex,
            "status": "queued",
            "to": fields["To"],
            "from": fields["From"],
            "body": fields["Body"],
        }
    if path.endswith("/getMe"):
        return 200, {
            "ok": True,
            "result": {"id": 123456789, "is_bot": True, "first_name": "KAP", "username": SECRETS["TELEGRAM_BOT_NAME"]},
        }
    if path.endswith("/setWebhook"):
        return 200, {"ok": True, "result": True, "description": "Webhook was set"}
    if path.endswith("/sendMessage"):
        return 200, {
            "ok": True,
            "result": {
                "message_id": 1,
                "date": int(time.time()),
                "text": fields["text"],
                "chat": {"id": int(fields["chat_id"]), "type": "private"},
            },
        }
    if path.endswith("/chat.postMessage"):
        return 200, {"ok": True, "channel": fields["channel"], "ts": f"{time.time():.6f}"}
    if path.endswith("/me/messages"):
        return 200, {"recipient_id": fields["recipient"]["id"], "message_id": "m_" + uuid.uuid4().hex}
    return 404, {"error": f"no such method: {path}"}


class PlatformApiHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Content-Type", "").startswith("application/json"):
            fields = json.loads(raw)
        else:
            fields = dict(parse_qsl(raw.decode("utf-8")))
        path = self.path.split("?")[0]
        status, answer = platform_answer(path, fields)
        body = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.record(path, fields)

    def log_message(self, *args):
        pass


class PlatformApi(ThreadingHTTPServer):
    """A fake of the four platforms' APIs on loopback, recording every request."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), PlatformApiHandler)
        self.requests: List[Tuple[str, Dict[str, Any]]] = []
        self.arrived = threading.Condition()

    def url(self, platform: str) -> str:
        return f"http://127.0.0.1:{self.server_port}/{platform}/"

    def record(self, path: str, fields: Dict[str, Any]) -> None:
        with self.arrived:
            self.requests.append((path, fields))
            self.arrived.notify_all()

    def deliveries(self, recipient: str) -> List[Delivery]:
        with self.arrived:
            found = [as_delivery(path, fields) for path, fields in self.requests]
        return [d for d in found if d is not None and d.recipient == recipient]

    def wait_for(self, recipient: str, done: Callable[[List[str]], bool], timeout: float = 60) -> List[Delivery]:
        """The messages delivered to `recipient` once their texts satisfy `done`."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: done([d.text for d in self.deliveries(recipient)]), timeout):
                pytest.fail(f"{recipient} got {[d.text for d in self.deliveries(recipient)]}")
        return self.deliveries(recipient)


@pytest.fixture(scope="module")
def platforms():
    api = PlatformApi()
    threading.Thread(target=api.serve_forever, daemon=True).start()
    yield api
    api.shutdown()
    api.server_close()


@pytest.fixture(scope="module")
def messaging(model, platforms, tmp_path_factory):
    """The servers with the four messaging channels of credentials.yml, on the fake APIs."""
    workdir = tmp_path_factory.mktemp("messaging")
    blocks = documented_blocks()
    assert set(blocks) == set(CHANNELS)
    credentials = {name: {**block, "api_url": platforms.url(CHANNELS[name])} for name, block in blocks.items()}
    (workdir / "credentials.yml").write_text(yaml.safe_dump(credentials), "utf-8")
    servers = BotServers(
        model,
        free_port(),
        free_port(),
        workdir,
        tracker_db=workdir / "conversations.db",
        credentials=workdir / "credentials.yml",
        env=SECRETS,
    )
    with servers:
        yield servers


def new_id() -> int:
    return uuid.uuid4().int % 10**9


# The platforms' webhook requests: each sends `text` from conversation number `n`; returns the
# webhook's (status, body) and the id the platform's API is asked to deliver the replies to.


def twilio_sms(
    servers, n: int, text: str, url: str = SECRETS["TWILIO_WEBHOOK_URL"], token: str = SECRETS["TWILIO_AUTH_TOKEN"]
) -> Tuple[Tuple[int, Any], str]:
    """An incoming SMS as Twilio posts it, signed by Twilio for the public webhook `url`."""
    phone = f"+1555{n:09d}"
    form = {
        "ToCountry": "US",
        "SmsMessageSid": f"SM{n:032d}",
        "NumMedia": "0",
        "SmsSid": f"SM{n:032d}",
        "SmsStatus": "received",
        "Body": text,
        "To": SECRETS["TWILIO_NUMBER"],
        "NumSegments": "1",
        "MessageSid": f"SM{n:032d}",
        "AccountSid": SECRETS["TWILIO_ACCOUNT_SID"],
        "From": phone,
        "ApiVersion": "2010-04-01",
    }
    signature = RequestValidator(token).compute_signature(url, form)
    reply = post(
        f"{servers.url}/webhooks/twilio/webhook",
        urlencode(form).encode(),
        "application/x-www-form-urlencoded",
        {"X-Twilio-Signature": signature},
    )
    return reply, phone


def telegram_update(servers, n: int, text: str) -> Tuple[Tuple[int, Any], str]:
    """A Telegram Update with a private chat's message."""
    person = {"id": n, "is_bot": False, "first_name": "Pat", "language_code": "en"}
    update = {
        "update_id": n,
        "message": {
            "message_id": 1,
            "from": person,
            "date": int(time.time()),
            "chat": {"id": n, "first_name": "Pat", "type": "private"},
            "text": text,
        },
    }
    return post(f"{servers.url}/webhooks/telegram/webhook", json.dumps(update).encode()), str(n)


def slack_signed(
    servers, body: bytes, secret: str = SECRETS["SLACK_SIGNING_SECRET"], timestamp: Optional[int] = None
) -> Tuple[int, Any]:
    """POSTs a body signed as Slack signs it (v0, the timestamp and the body, HMAC-SHA256)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return post(
        f"{servers.url}/webhooks/slack/webhook",
        body,
        "application/json",
        {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"},
    )


def slack_event_body(n: int, text: str) -> bytes:
    """An Events API callback: a direct message to the app."""
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": f"D{n}",
        "user": f"U{n}",
        "text": text,
        "ts": f"{time.time():.6f}",
        "event_ts": f"{time.time():.6f}",
    }
    return json.dumps(
        {
            "token": "verification-token",
            "team_id": "T0CLINIC",
            "api_app_id": "A0KAP",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{n}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0CLINIC", "user_id": "U0KAPBOT", "is_bot": True}],
        }
    ).encode()


def slack_event(servers, n: int, text: str, **signing: Any) -> Tuple[Tuple[int, Any], str]:
    return slack_signed(servers, slack_event_body(n, text), **signing), f"D{n}"


def messenger_body(n: int, text: str) -> bytes:
    """A page webhook with one message from a person (page-scoped id)."""
    now = int(time.time() * 1000)
    messaging = {
        "sender": {"id": str(n)},
        "recipient": {"id": "PAGE0KAP"},
        "timestamp": now,
        "message": {"mid": f"m_{n}", "text": text},
    }
    return json.dumps({"object": "page", "entry": [{"id": "PAGE0KAP", "time": now, "messaging": [messaging]}]}).encode()


def messenger_signature(body: bytes, secret: str = SECRETS["FACEBOOK_APP_SECRET"]) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def messenger_event(servers, n: int, text: str, signature: Optional[str] = None) -> Tuple[Tuple[int, Any], str]:
    body = messenger_body(n, text)
    headers = {"X-Hub-Signature-256": signature or messenger_signature(body)}
    return post(f"{servers.url}/webhooks/facebook/webhook", body, "application/json", headers), str(n)


PLATFORMS = {"twilio": twilio_sms, "telegram": telegram_update, "slack": slack_event, "facebook": messenger_event}
ACCEPTED = {"twilio": 204, "telegram": 200, "slack": 200, "facebook": 200}


def converse(servers, platforms, platform: str, text: str, expected: List[str]) -> List[Delivery]:
    """Sends `text` as the platform would; returns the messages delivered once as many as
    `expected` have arrived."""
    (status, body), recipient = PLATFORMS[platform](servers, new_id(), text)
    assert status == ACCEPTED[platform], body
    return platforms.wait_for(recipient, lambda texts: len(texts) >= len(expected))


def assert_plain_text(deliveries: List[Delivery]) -> None:
    for delivery in deliveries:
        assert 0 < len(delivery.text) <= MAX_MESSAGE_CHARS, delivery.text
        assert not PAYLOAD.search(delivery.text), delivery.text
        assert not RICH_FIELDS & {*delivery.fields, *delivery.fields.get("message", {})}, delivery.fields


def expected_answer(topic_key: str) -> List[str]:
    topic = knowledge().topic(topic_key)
    return [*message_parts(topic.answer), *(part for q in topic.quotes for part in message_parts(q.as_text()))]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_question_gets_the_answer_and_its_quote_as_plain_text(messaging, platforms, platform):
    expected = expected_answer("effectiveness")
    delivered = converse(messaging, platforms, platform, QUESTION, expected)
    assert [d.text for d in delivered] == expected
    text = "\n".join(expected)
    assert "very effective" in text and "Drozdz" in text and "10.2147/JPR.S360733" in text
    assert_plain_text(delivered)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_crisis_message_gets_the_crisis_reply(messaging, platforms, platform):
    expected = message_parts(render("utter_crisis"))
    delivered = converse(messaging, platforms, platform, CRISIS, expected)
    assert [d.text for d in delivered] == expected
    assert "988" in "\n".join(expected)
    assert_plain_text(delivered)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_example_questions_arrive_as_lines_to_type_not_buttons(messaging, platforms, platform):
    examples = [f"- {topic.example}" for topic in knowledge().suggestions]
    (status, body), recipient = PLATFORMS[platform](messaging, new_id(), "hello")
    assert status == ACCEPTED[platform], body
    delivered = platforms.wait_for(recipient, lambda texts: examples[-1] in "\n".join(texts))
    assert all(example in "\n".join(d.text for d in delivered) for example in examples)
    assert_plain_text(delivered)


def test_telegram_is_told_the_webhook_url_on_start(messaging, platforms):
    webhooks = [fields for path, fields in platforms.requests if path.endswith("/setWebhook")]
    assert webhooks and webhooks[0]["url"] == SECRETS["TELEGRAM_WEBHOOK_URL"]


def test_twilio_refuses_unsigned_and_wrongly_signed_requests(messaging, platforms):
    n = new_id()
    wrong_token, _ = twilio_sms(messaging, n, QUESTION, token="not-the-auth-token")
    # Signed for the URL the request reached, not for the public one Twilio posts to.
    local_url, _ = twilio_sms(messaging, n, QUESTION, url=f"{messaging.url}/webhooks/twilio/webhook")
    unsigned = post(
        f"{messaging.url}/webhooks/twilio/webhook",
        urlencode({"From": "+15550000001", "Body": QUESTION}).encode(),
        "application/x-www-form-urlencoded",
    )
    assert [wrong_token[0], local_url[0], unsigned[0]] == [403, 403, 403]
    # The next, signed message is the first this number gets an answer to.
    (status, _), phone = twilio_sms(messaging, n, "does KAP help with pain")
    assert status == 204
    delivered = platforms.wait_for(phone, lambda texts: any("pain" in t for t in texts))
    assert not any("very effective" in d.text for d in delivered)
    assert not platforms.deliveries("+15550000001")


def test_slack_answers_its_url_verification_and_refuses_bad_signatures(messaging, platforms):
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    verification = json.dumps(
        {"token": "verification-token", "challenge": challenge, "type": "url_verification"}
    ).encode()
    assert slack_signed(messaging, verification) == (200, {"challenge": challenge})
    assert slack_signed(messaging, verification, secret="not-the-signing-secret")[0] == 400
    n = new_id()
    (wrong, _), _ = slack_event(messaging, n, QUESTION, secret="not-the-signing-secret")
    (stale, _), _ = slack_event(messaging, n, QUESTION, timestamp=int(time.time()) - 3600)
    assert (wrong, stale) == (400, 400)
    (status, _), channel = slack_event(messaging, n, "does KAP help with pain")
    assert status == 200
    delivered = platforms.wait_for(channel, lambda texts: any("pain" in t for t in texts))
    assert not any("very effective" in d.text for d in delivered)


def test_messenger_verify_token_handshake(messaging):
    def handshake(token):
        query = urlencode({"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444"})
        return get(f"{messaging.url}/webhooks/facebook/webhook?{query}")

    accepted = handshake(SECRETS["FACEBOOK_VERIFY_TOKEN"])
    assert (accepted.status, accepted.text) == (200, "1158201444")
    assert handshake("not-the-verify-token").status == 403


def test_messenger_refuses_events_without_a_valid_sha256_signature(messaging, platforms):
    n = new_id()
    body = messenger_body(n, QUESTION)
    (wrong, _), _ = messenger_event(messaging, n, QUESTION, signature=messenger_signature(body, "not-the-app-secret"))
    sha1 = "sha1=" + hmac.new(SECRETS["FACEBOOK_APP_SECRET"].encode(), body, hashlib.sha1).hexdigest()
    only_sha1 = post(f"{messaging.url}/webhooks/facebook/webhook", body, "application/json", {"X-Hub-Signature": sha1})
    assert (wrong, only_sha1[0]) == (403, 403)
    (status, _), psid = messenger_event(messaging, n, "does KAP help with pain")
    assert status == 200
    delivered = platforms.wait_for(psid, lambda texts: any("pain" in t for t in texts))
    assert not any("very effective" in d.text for d in delivered)


# Unit tests of the pieces.


def test_a_long_paragraph_is_cut_between_sentences_and_a_long_sentence_between_words():
    sentence = "Ketamine-assisted psychotherapy was studied in several trials. "
    parts = message_parts("Short first paragraph.\n\n" + sentence * 60 + "\n\n" + "word " * 500)
    assert parts[0] == "Short first paragraph."
    assert all(len(part) <= MAX_MESSAGE_CHARS for part in parts)
    assert all(part.endswith("trials.") for part in parts[1:3])
    assert " ".join(parts[1:]).split() == (sentence * 60 + "word " * 500).split()


def test_a_text_channel_gets_button_titles_and_no_payloads():
    message = {"text": "Try one of these:", "buttons": [{"title": "How effective is KAP?", "payload": "/ask_x"}]}
    assert plain_text(message) == "Try one of these:\n\n- How effective is KAP?"
    assert plain_text({"custom": {"type": "citation", "quote": "…"}}) == ""


class Recording(OutputChannel):
    def __init__(self):
        self.texts = []

    async def send_text_message(self, recipient_id, text, **kwargs):
        self.texts.append(text)


def test_plain_text_output_sends_only_short_texts():
    inner = Recording()
    output = PlainTextOutput(inner)
    asyncio.run(output.send_response("me", {"text": "One sentence here. " * 200, "custom": {"a": 1}}))
    asyncio.run(output.send_response("me", {"custom": {"type": "citation"}}))
    assert len(inner.texts) == 3 and all(len(t) <= MAX_MESSAGE_CHARS for t in inner.texts)


def test_messenger_signature_check():
    body = b'{"object": "page"}'
    assert hub_signature_256_is_valid("secret", body, messenger_signature(body, "secret"))
    assert not hub_signature_256_is_valid("secret", body, messenger_signature(body, "other"))
    assert not hub_signature_256_is_valid("secret", body, "sha1=" + hmac.new(b"secret", body, hashlib.sha1).hexdigest())
    assert not hub_signature_256_is_valid("secret", body, "")
    assert not hub_signature_256_is_valid("secret", body, "sha256=ü")


def test_twilio_signature_is_checked_on_the_requests_own_url_without_webhook_url():
    channel = ScreenedTwilioInput("AC" + "0" * 32, "token", "+15550100000")
    url, form = "http://127.0.0.1:5005/webhooks/twilio/webhook", {"From": "+15550000002", "Body": "hi"}
    signature = RequestValidator("token").compute_signature(url, form)
    request = SimpleNamespace(url=url, form=form, headers={"X-Twilio-Signature": signature})
    assert channel.is_signed_by_twilio(request)
    assert not channel.is_signed_by_twilio(SimpleNamespace(url=url + "?x=1", form=form, headers=request.headers))
    assert not channel.is_signed_by_twilio(SimpleNamespace(url=url, form=form, headers={}))
