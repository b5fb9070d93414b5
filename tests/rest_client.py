"""HTTP helpers for the end-to-end tests: a REST turn of conversation, its texts, a GET."""

import json
import urllib.error
import urllib.request
from email.message import Message
from typing import Any, Dict, List, NamedTuple, Optional

from bot.rest_client import post


def say(servers, sender: str, message: Any, timeout: float = 60) -> List[Dict[str, Any]]:
    """Sends one user message over REST; returns the bot's replies (asserting a 200)."""
    status, replies = post(f"{servers.url}/webhooks/rest/webhook",
                           json.dumps({"sender": sender, "message": message}).encode(), timeout=timeout)
    assert status == 200, (status, replies)
    return replies


def texts(replies: List[Dict[str, Any]]) -> List[str]:
    return [r["text"] for r in replies if "text" in r]


class Response(NamedTuple):
    status: int
    headers: Message
    text: str


def get(url: str, headers: Optional[Dict[str, str]] = None) -> Response:
    """GETs a URL, also for 4xx/5xx; repeated response headers are kept (`headers.get_all`)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Response(response.status, response.headers, response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read().decode("utf-8", "replace"))
