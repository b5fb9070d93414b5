"""Rasa's messaging channels (Twilio SMS and WhatsApp, Telegram, Slack, Facebook Messenger),
screened like the other channels, checking that each request comes from its platform.

Registered in credentials.yml as `bot.channels.messaging.Screened...Input`. Each keeps its Rasa
channel's name, webhook URL (/webhooks/<name>/webhook) and message formats, and adds:

- the platform's signature check where Rasa's channel lacks it: Twilio's X-Twilio-Signature,
  Meta's X-Hub-Signature-256 (Rasa's Slack channel checks Slack's signing secret itself);
- plain text only: these apps show neither the citation payloads nor Rasa's button payloads,
  so a button becomes its title on a line the patient can type, and no message is longer than
  an SMS may be (1,600 characters);
- an optional `api_url`, the platform API the replies are sent to (a self-hosted Telegram Bot
  API server, GovSlack, a proxy); without it, the platform's own.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import textwrap
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram.bot.api import TelegramAPIServer
from aiogram.utils.exceptions import TelegramAPIError
from fbmessenger import MessengerClient
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from rasa.core.channels.slack import SlackInput
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient
from twilio.request_validator import RequestValidator

from bot.channels.web import ScreenedInput, webhook_blueprint

logger = logging.getLogger(__name__)

# The longest text one SMS may carry (Twilio's limit; the other apps allow more).
MAX_MESSAGE_CHARS = 1600
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def message_parts(text: Text, limit: int = MAX_MESSAGE_CHARS) -> List[Text]:
    """The text as messages of at most `limit` characters: one per paragraph, as Rasa's
    messaging outputs send it, a longer paragraph cut between sentences (a longer sentence
    between words)."""
    parts: List[Text] = []
    for paragraph in _PARAGRAPH_BREAK.split(text.strip()):
        parts.extend(_fit(paragraph.strip(), limit))
    return [part for part in parts if part]


def _fit(paragraph: Text, limit: int) -> List[Text]:
    """The paragraph whole if it fits, else its sentences packed into pieces that do."""
    if len(paragraph) <= limit:
        return [paragraph]
    pieces: List[Text] = []
    for sentence in _SENTENCE_END.split(paragraph):
        for unit in textwrap.wrap(sentence, limit):
            if pieces and len(pieces[-1]) + 1 + len(unit) <= limit:
                pieces[-1] += " " + unit
            else:
                pieces.append(unit)
    return pieces


def plain_text(message: Dict[Text, Any]) -> Text:
    """A bot message as a text-only app can show it: its text, then each button's title on a
    line of its own, which the patient can type. Payloads and custom JSON (the citation card)
    are left out: the actions also send each quote as text to these channels."""
    buttons = message.get("buttons") or message.get("quick_replies") or []
    titles = "\n".join(f"- {button['title']}" for button in buttons if button.get("title"))
    return "\n\n".join(part for part in (message.get("text") or "", titles) if part)


class PlainTextOutput:
    """A messaging app's output channel, given only plain text of at most 1,600 characters a
    message (what an SMS can carry), whatever the bot sent."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        for part in message_parts(plain_text(message)):
            await self.inner.send_text_message(recipient_id, part)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class ScreenedMessagingInput(ScreenedInput):
    """Mixin for Rasa's messaging channels: screened, plain text only, and replies sent to the
    platform API at the `api_url` credential (the platform's own API when it is not given)."""

    api_url: Optional[Text] = None

    # The credential whose value signs the platform's requests: without it, anyone could sign.
    secret_credential: Optional[Text] = None

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if cls.secret_credential and not (credentials or {}).get(cls.secret_credential):
            raise RasaException(
                f"{cls.__name__} needs '{cls.secret_credential}' in credentials.yml: without it, "
                f"no request could be checked as coming from the platform."
            )
        channel = super().from_credentials(credentials)  # type: ignore[misc]
        channel.api_url = credentials.get("api_url")  # type: ignore[union-attr]
        return channel

    def output_for(self, message: UserMessage) -> OutputChannel:
        return PlainTextOutput(message.output_channel)  # type: ignore[return-value]


class ScreenedTwilioInput(ScreenedMessagingInput, TwilioInput):
    """Rasa's Twilio channel (SMS, WhatsApp), screened, refusing (403) a request without a valid
    X-Twilio-Signature: Rasa's channel does not check it, so anyone who knew the URL could write
    as any phone number."""

    # The public URL Twilio posts to, which it signs; behind a proxy, the request's own URL
    # (used when this is not set) is not that one.
    webhook_url: Optional[Text] = None
    secret_credential = "auth_token"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.webhook_url = credentials.get("webhook_url")  # type: ignore[union-attr]
        if not channel.webhook_url:
            logger.warning(
                "Twilio: no webhook_url in credentials.yml; behind a proxy every message "
                "will be refused, as Twilio signs the public URL, not the one seen here."
            )
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        # The decorator form: Sanic's blueprints take a method (not a plain function) only so.
        webhook.middleware("request")(self._refuse_unsigned)
        return webhook

    async def _refuse_unsigned(self, request: Request) -> Optional[HTTPResponse]:
        if request.method == "POST" and not self.is_signed_by_twilio(request):
            logger.warning("Refused a Twilio webhook without a valid X-Twilio-Signature.")
            return response.text("invalid X-Twilio-Signature", status=403)
        return None

    def is_signed_by_twilio(self, request: Request) -> bool:
        """Whether X-Twilio-Signature is Twilio's signature, with the account's auth token, of
        the public webhook URL and the form's fields."""
        signature = request.headers.get("X-Twilio-Signature", "")
        url = self.webhook_url or request.url
        return RequestValidator(self.auth_token or "").validate(url, request.form, signature)

    def get_output_channel(self) -> TwilioOutput:
        output = super().get_output_channel()
        if self.api_url:
            output.api.base_url = self.api_url
        return output


class ScreenedTelegramInput(ScreenedMessagingInput, TelegramInput):
    """Rasa's Telegram channel, screened, sending through the Bot API server at `api_url`
    (a self-hosted telegram-bot-api server; https://api.telegram.org without it).

    Rasa's own output keeps the HTTP session it set the webhook with, whose event loop is closed
    by the time a message comes ("Event loop is closed" on the first one); this one closes it.
    """

    def get_output_channel(self) -> TelegramOutput:
        """Rasa's Telegram output on the configured Bot API server, which is told the webhook
        URL, as Rasa's own output does on start."""
        output = TelegramOutput(self.access_token)
        if self.api_url:
            output.server = TelegramAPIServer.from_base(self.api_url)
        try:
            asyncio.run(_set_webhook(output, self.webhook_url))
        except TelegramAPIError as error:
            raise RasaException(f"Failed to set channel webhook: {error}") from error
        return output


async def _set_webhook(output: TelegramOutput, url: Optional[Text]) -> None:
    """Sets the webhook, then closes the HTTP session opened for it, which belongs to this
    start-up event loop: the bot's replies open their own on the server's loop."""
    try:
        await output.set_webhook(url=url)
    finally:
        await output.close()


def url_verification_challenge(request: Request) -> Optional[Text]:
    """The challenge of a Slack url_verification request, or None for any other request."""
    if request.method != "POST" or request.headers.get("content-type") != "application/json":
        return None
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    if isinstance(body, dict) and body.get("type") == "url_verification":
        return body.get("challenge")
    return None


class ScreenedSlackInput(ScreenedMessagingInput, SlackInput):
    """Rasa's Slack channel (which checks the signing secret), screened, sending through the Web
    API at `api_url` (GovSlack's https://slack-gov.com/api/; https://slack.com/api/ without it)."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        webhook.middleware("request")(self._answer_url_verification)  # as ScreenedTwilioInput
        return webhook

    async def _answer_url_verification(self, request: Request) -> Optional[HTTPResponse]:
        """Answers a signed url_verification with {"challenge": ...}, a form Slack documents;
        Rasa's channel answers with the bare challenge as a JSON string, which is not one."""
        challenge = url_verification_challenge(request)
        if challenge is not None and self.is_request_from_slack_authentic(request):
            return response.json({"challenge": challenge})
        return None

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        output = super().get_output_channel(channel, thread_id)
        if self.api_url:
            output.client = AsyncWebClient(  # type: ignore[attr-defined]
                self.slack_token, proxy=self.proxy, base_url=self.api_url
            )
        return output


def hub_signature_256_is_valid(app_secret: Text, body: bytes, header: Text) -> bool:
    """Whether `header` is Meta's X-Hub-Signature-256 of `body`: "sha256=" and the hex
    HMAC-SHA256 of the raw body with the app secret."""
    expected = "sha256=" + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("utf-8"), header.encode("utf-8"))


class SignedFacebookInput(FacebookInput):
    """Rasa's Messenger channel with its webhook's routes replaced: the events must carry a
    valid X-Hub-Signature-256 (Rasa checks only Meta's older sha1 X-Hub-Signature, and answers
    a bad one with 200), a wrong verify token is refused (403), and the replies, "seen" and
    "typing" go to the Graph API at `api_url`. A class of its own so that the screening, which
    wraps the blueprint of the class after it, wraps these routes."""

    api_url: Optional[Text] = None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = webhook_blueprint("screened_fb_webhook")

        @webhook.route("/webhook", methods=["GET"])
        async def verify_token(request: Request) -> HTTPResponse:
            return self._verify_token(request)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self._receive(request, on_new_message)

        return webhook

    def _verify_token(self, request: Request) -> HTTPResponse:
        """Meta's subscription handshake: the challenge back for the right verify token."""
        token = request.args.get("hub.verify_token", "")
        if self.fb_verify and hmac.compare_digest(token.encode(), self.fb_verify.encode()):
            return response.text(request.args.get("hub.challenge", ""))
        logger.warning("Refused a Messenger verification with a wrong verify token.")
        return response.text("wrong verify token", status=403)

    async def _receive(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        signature = request.headers.get("X-Hub-Signature-256", "")
        if not hub_signature_256_is_valid(self.fb_secret or "", request.body, signature):
            logger.warning("Refused a Messenger webhook without a valid X-Hub-Signature-256.")
            return response.text("invalid X-Hub-Signature-256", status=403)
        messenger = Messenger(self.fb_access_token, on_new_message)
        self._point_at_api(messenger.client)
        await messenger.handle(request.json, self.get_metadata(request))
        return response.text("success")

    def _point_at_api(self, client: MessengerClient) -> None:
        if self.api_url:
            client.graph_url = self.api_url

    def get_output_channel(self) -> OutputChannel:
        client = MessengerClient(self.fb_access_token)
        self._point_at_api(client)
        return MessengerBot(client)


class ScreenedFacebookInput(ScreenedMessagingInput, SignedFacebookInput):
    """Rasa's Facebook Messenger channel, signed (SignedFacebookInput) and screened."""

    secret_credential = "secret"
