"""The REST channel, hardened: checked input, clear 4xx errors, and always a reply.

Registered in credentials.yml as `bot.channels.GuardedRestInput`; it keeps the name `rest`, so
the URL stays /webhooks/rest/webhook and the request and reply formats are Rasa's own.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
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


async def converse(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    sender: Text,
    text: Text,
    input_channel: Text,
    metadata: Optional[Dict[Text, Any]] = None,
) -> List[Dict[Text, Any]]:
    """Hands the screened message to Rasa; returns its replies, or the safety-net reply.

    A slow turn is not cancelled (its events are still stored when it finishes) but the patient
    gets the safety-net reply after the clinic's reply timeout instead of waiting for it.
    """
    collector = CollectingOutputChannel()
    message = UserMessage(screen(text), collector, sender, input_channel=input_channel, metadata=metadata)
    turn = asyncio.ensure_future(on_new_message(message))
    try:
        await asyncio.wait_for(asyncio.shield(turn), timeout=load_clinic().reply_timeout_seconds)
    except asyncio.TimeoutError:
        logger.error("The bot did not reply in time; sending the safety-net reply.")
        return [{"recipient_id": sender, "text": safety_net_reply(text)}]
    except Exception:  # noqa: BLE001 - whatever failed, the patient still gets an answer
        logger.exception("The bot failed to handle a message; sending the safety-net reply.")
    if collector.messages:
        return collector.messages
    return [{"recipient_id": sender, "text": safety_net_reply(text)}]


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
