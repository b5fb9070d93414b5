"""The one HTTP client of the servers, the benchmark and the tests: POST a body, GET a page (also
for 4xx/5xx), and a turn of conversation over the REST channel.

The standard library is enough for a client that talks to the bot on loopback, and keeps the
measured latency free of a client library's own overhead.
"""

import json
import urllib.error
import urllib.request
from email.message import Message
from typing import Any, Dict, NamedTuple, Optional, Tuple


def post(
    url: str,
    body: bytes,
    content_type: str = "application/json",
    headers: Optional[Dict[str, str]] = None,
    timeout: float = 60,
) -> Tuple[int, Any]:
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


class Response(NamedTuple):
    status: int
    headers: Message
    text: str


def get(url: str, headers: Optional[Dict[str, str]] = None, timeout: float = 30) -> Response:
    """GETs a URL; repeated response headers are kept (`headers.get_all`)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Response(response.status, response.headers, response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read().decode("utf-8", "replace"))


def rest_turn(base_url: str, sender: str, message: Any, timeout: float = 60) -> Tuple[int, Any]:
    """One user message to the bot's REST channel: (status, the bot's replies)."""
    body = json.dumps({"sender": sender, "message": message}).encode()
    return post(f"{base_url}/webhooks/rest/webhook", body, timeout=timeout)
