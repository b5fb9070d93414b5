"""A turn of conversation over the REST channel, and the texts of the bot's replies."""

import json
from typing import Any, Dict, List

from bot.bench.rest_client import post


def say(servers, sender: str, message: Any, timeout: float = 60) -> List[Dict[str, Any]]:
    """Sends one user message over REST; returns the bot's replies (asserting a 200)."""
    status, replies = post(
        f"{servers.url}/webhooks/rest/webhook",
        json.dumps({"sender": sender, "message": message}).encode(),
        timeout=timeout,
    )
    assert status == 200, (status, replies)
    return replies


def texts(replies: List[Dict[str, Any]]) -> List[str]:
    return [r["text"] for r in replies if "text" in r]
