"""Posting to the bot's REST channel, for the benchmark and the end-to-end tests."""

import json
import urllib.error
import urllib.request
from typing import Any, Dict, Optional, Tuple


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
