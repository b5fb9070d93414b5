"""A turn of conversation over the REST channel, and the texts of the bot's replies."""

from typing import Any, Dict, List

from bot.ops.http_client import rest_turn


def say(servers, sender: str, message: Any, timeout: float = 60) -> List[Dict[str, Any]]:
    """Sends one user message over REST; returns the bot's replies (asserting a 200)."""
    status, replies = rest_turn(servers.url, sender, message, timeout=timeout)
    assert status == 200, (status, replies)
    return replies


def texts(replies: List[Dict[str, Any]]) -> List[str]:
    return [r["text"] for r in replies if "text" in r]
