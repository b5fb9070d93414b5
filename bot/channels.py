"""Rasa's REST and socket.io channels, hardened: checked input, clear errors, always a reply.

Registered in credentials.yml as `bot.channels.GuardedRestInput` and
`bot.channels.GuardedSocketIOInput`; they keep the names `rest` and `socketio`, so the URLs and
message formats are Rasa's own.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from socketio import AsyncServer
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.clinic import load_clinic
from bot.guard import safety_net_reply, screen

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 200_000
MAX_SENDER_CHARS = 128


class BadRequest(ValueError):
    """The request cannot be answered as sent; the message says how to fix it."""


def parse_request(request: Request) -> Dict[str, Any]:
    """The JSON body as a dict with a usable `sender` and `message`, or BadRequest."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise BadRequest("send the message as JSON with 'Content-Type: application/json'")
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


async def run_guarded_turn(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    has_replied: Callable[[], bool],
) -> Optional[Dict[Text, Text]]:
    """Screens the message, lets Rasa handle it; returns a safety-net reply if the bot gave none.

    A slow turn is not cancelled (its events are still stored when it finishes), but after the
    clinic's reply timeout the patient gets the safety-net reply instead of waiting for it.
    """
    original = message.text or ""
    message.text = screen(original)
    turn = asyncio.ensure_future(on_new_message(message))
    try:
        await asyncio.wait_for(asyncio.shield(turn), timeout=load_clinic().reply_timeout_seconds)
    except asyncio.TimeoutError:
        logger.error("The bot did not reply in time; sending the safety-net reply.")
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
    fallback = await run_guarded_turn(on_new_message, message, lambda: bool(collector.messages))
    if fallback is None:
        return collector.messages
    return [{"recipient_id": sender, "text": fallback["text"]}]


class GuardedRestInput(RestInput):
    """Rasa's REST channel with input checks and a guaranteed reply."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                parsed = parse_request(request)
            except BadRequest as problem:
                status = 415 if "Content-Type" in str(problem) else 400
                return response.json({"error": str(problem)}, status=status)
            replies = await converse(
                on_new_message, parsed["sender"], parsed["message"], self.name(), parsed["metadata"]
            )
            return response.json(replies)

        return webhook


class GuardedSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, counting what it sends.

    Custom payloads (the citation cards) are sent as {"custom": payload}, as other channels do;
    Rasa's own output passes a payload's keys to `emit` as arguments, which fails for them.
    """

    def __init__(self, sio: AsyncServer, bot_message_evt: Text) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Marks the crisis reply, so that the widget can make it stand out."""
        if message.get("utter_action") == "utter_crisis" and message.get("text"):
            await self._send_message(recipient_id, {"text": message["text"], "crisis": True})
        else:
            await super().send_response(recipient_id, message)

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel (the website widget) with the same checks as the REST channel,
    a guaranteed reply, and connections only from the clinic's website origins."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        async def guarded(message: UserMessage) -> None:
            output = GuardedSocketIOOutput(self.sio, self.bot_message_evt)
            message.output_channel = output
            fallback = await run_guarded_turn(on_new_message, message, lambda: output.sent > 0)
            if fallback is not None:
                await output.send_response(message.sender_id, fallback)

        socketio_blueprint = super().blueprint(guarded)
        self.sio.eio.cors_allowed_origins = list(load_clinic().website_origins)
        return socketio_blueprint
