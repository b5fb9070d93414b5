"""A small REST client for the end-to-end tests: one function per kind of request."""

import json
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Tuple


def post(url: str, body: bytes, content_type: str = "application/json",
         headers: Optional[Dict[str, str]] = None, timeout: float = 60) -> Tuple[int, Any]:
    """POSTs raw bytes; returns (status, parsed JSON or text), also for 4xx/5xx."""
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode("utf-8", "replace")


def say(servers, sender: str, message: Any, timeout: float = 60) -> List[Dict[str, Any]]:
    """Sends one user message over REST; returns the bot's replies (asserting a 200)."""
    status, replies = post(f"{servers.url}/webhooks/rest/webhook",
                           json.dumps({"sender": sender, "message": message}).encode(), timeout=timeout)
    assert status == 200, (status, replies)
    return replies


def texts(replies: List[Dict[str, Any]]) -> List[str]:
    return [r["text"] for r in replies if "text" in r]


def get(url: str, headers: Optional[Dict[str, str]] = None) -> Tuple[int, Dict[str, str]]:
    """GETs a URL; returns (status, response headers)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)
