"""Rasa's channels, hardened: screened input, clear errors, and always a reply.

Registered in credentials.yml as `bot.channels.web.Screened...Input`; each keeps the name of the
Rasa channel it extends (`rest`, `socketio`, `callback`), so the URLs and message formats are
Rasa's own. The REST channel also checks the request itself (clear 4xx errors). The messaging
channels (Twilio, Telegram, Slack, Messenger) are screened with the same mixin in
bot/channels/messaging.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.callback import CallbackInput
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.questions import split_questions
from bot.channels.screening import safety_net_reply, screen
from bot.content.clinic import current_clinic
from bot.nlu.crisis_patterns import crisis_patterns

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 200_000
MAX_SENDER_CHARS = 128


class BadRequest(ValueError):
    """The request cannot be answered as sent; the message says how to fix it."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def parse_request(request: Request) -> Dict[str, Any]:
    """The JSON body as a dict with a usable `sender` and `message`, or BadRequest."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise BadRequest("send the message as JSON with 'Content-Type: application/json'", status=415)
    if len(request.body or b"") > MAX_BODY_BYTES:
        raise BadRequest(f"the request body is larger than {MAX_BODY_BYTES} bytes")
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise BadRequest('expected a JSON object: {"sender": "...", "message": "..."}')
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        raise BadRequest(f"'sender' must be a non-empty text of at most {MAX_SENDER_CHARS} characters")
    if not sender.isprintable():
        raise BadRequest("'sender' must not contain control characters")
    if not isinstance(message, str):
        raise BadRequest("'message' must be a text")
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("'metadata' must be a JSON object")
    return {"sender": sender, "message": message, "metadata": metadata}


def _log_late_failure(turn: "asyncio.Future[Any]") -> None:
    """Reports a turn that failed after its patient had the safety-net reply."""
    if not turn.cancelled() and turn.exception() is not None:
        logger.error("A late turn failed.", exc_info=turn.exception())


async def _handle_each_question(
    on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage, text: Text
) -> None:
    """Lets Rasa handle the message, or each of its questions in turn (bot/channels/questions.py); a
    crisis message is always handled whole, so that it gets the crisis reply and nothing else."""
    parts = [text] if crisis_patterns().find_in_message(text) is not None else split_questions(text)
    message.text = parts[0]
    await on_new_message(message)
    for part in parts[1:]:
        await on_new_message(
            UserMessage(
                part,
                message.output_channel,
                message.sender_id,
                input_channel=message.input_channel,
                metadata=message.metadata,
            )
        )


async def run_screened_turn(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    has_replied: Callable[[], bool],
) -> Optional[Dict[Text, Text]]:
    """Screens the message, lets Rasa handle it (each of its questions in turn); returns a
    safety-net reply if the bot gave none.

    A slow turn is not cancelled (its events are still stored when it finishes), but after the
    clinic's reply timeout the patient gets the safety-net reply instead of waiting for it.
    """
    original = message.text or ""
    turn = asyncio.ensure_future(_handle_each_question(on_new_message, message, screen(original)))
    try:
        await asyncio.wait_for(asyncio.shield(turn), timeout=current_clinic().reply_timeout_seconds)
    except asyncio.TimeoutError:
        logger.error("The bot did not reply in time; sending the safety-net reply.")
        turn.add_done_callback(_log_late_failure)
        return safety_net_reply(original)
    except Exception:  # noqa: BLE001 - whatever failed, the patient still gets an answer
        logger.exception("The bot failed to handle a message; sending the safety-net reply.")
    return None if has_replied() else safety_net_reply(original)


async def converse(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    sender: Text,
    text: Text,
    input_channel: Text,
    metadata: Optional[Dict[Text, Any]] = None,
) -> List[Dict[Text, Any]]:
    """One REST turn: the bot's replies, or the safety-net reply."""
    collector = CollectingOutputChannel()
    message = UserMessage(text, collector, sender, input_channel=input_channel, metadata=metadata)
    fallback = await run_screened_turn(on_new_message, message, lambda: bool(collector.messages))
    if fallback is None:
        return collector.messages
    return [{"recipient_id": sender, "text": fallback["text"]}]


def webhook_blueprint(name: Text) -> Blueprint:
    """A channel's blueprint with Rasa's health route: GET / answers {"status": "ok"}."""
    webhook = Blueprint(name, __name__)

    @webhook.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    return webhook


class ScreenedRestInput(RestInput):
    """Rasa's REST channel with input checks and a guaranteed reply."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = webhook_blueprint("screened_rest_webhook")

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                parsed = parse_request(request)
            except BadRequest as problem:
                return response.json({"error": str(problem)}, status=problem.status)
            replies = await converse(
                on_new_message, parsed["sender"], parsed["message"], self.name(), parsed["metadata"]
            )
            return response.json(replies)

        return webhook


class ScreenedSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, with the crisis reply marked for the widget.

    Custom payloads (the citation cards) are sent as {"custom": payload}, as other channels do;
    Rasa's own output passes a payload's keys to `emit` as arguments, which fails for them.
    """

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Marks the crisis reply, and any reply that gives the crisis lines (a check-in, thanks
        after a crisis), with the resources' links (clinic.yml), so that the widget can make it
        stand out and a phone can call or text at a tap."""
        text = message.get("text") or ""
        if text and (message.get("utter_action") == "utter_crisis" or current_clinic().crisis_lines() in text):
            await self._send_message(
                recipient_id,
                {
                    "text": text,
                    "crisis": True,
                    "links": current_clinic().crisis_links(),
                },
            )
        else:
            await super().send_response(recipient_id, message)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class CountingOutput:
    """Wraps a channel's output and counts the messages sent through it."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class ScreenedInput:
    """Mixin for Rasa's push channels (socket.io, callback, messaging): screened input and a
    guaranteed reply, the same as the REST channel's."""

    def output_for(self, message: UserMessage) -> OutputChannel:
        """The output channel to reply through (a channel may substitute its own)."""
        return message.output_channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def screened(message: UserMessage) -> None:
            output = CountingOutput(self.output_for(message))
            message.output_channel = output
            fallback = await run_screened_turn(on_new_message, message, lambda: output.sent > 0)
            if fallback is not None:
                await output.send_response(message.sender_id, fallback)

        return super().blueprint(screened)  # type: ignore[misc]


def accepts_origin(origin: Optional[Text]) -> bool:
    """Whether a browser page from this origin may use the socket.io channel (clinic.yml)."""
    return origin in current_clinic().website_origins


class ScreenedSocketIOInput(ScreenedInput, SocketIOInput):
    """Rasa's socket.io channel (the website widget), screened, accepting connections only from
    the clinic's website origins."""

    def output_for(self, message: UserMessage) -> OutputChannel:
        return ScreenedSocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_blueprint = super().blueprint(on_new_message)
        # A function, not a list: it reads clinic.yml as it is now, and engine.io takes an empty
        # list to mean "no check at all".
        self.sio.eio.cors_allowed_origins = accepts_origin

        @socketio_blueprint.route("/origin", methods=["GET"])
        async def origin(request: Request) -> HTTPResponse:
            """Whether the asking page's origin may connect. socket.io's refusal is a bare 400
            that a page cannot tell from an outage; this answer lets the widget tell the
            patient, and the site's owner which setting to change. A request without an Origin
            (the page on the bot's own site) is accepted, as engine.io accepts it."""
            asking = request.headers.get("origin")
            return response.json(
                {"origin": asking or "", "accepted": asking is None or accepts_origin(asking)},
                headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-store"},
            )

        return socketio_blueprint


class ScreenedCallbackInput(ScreenedInput, CallbackInput):
    """Rasa's callback channel, screened."""
