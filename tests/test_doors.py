"""Locked doors: no HTTP API by default, CORS only for the clinic's sites, no secrets, quiet logs."""

import re
import subprocess
import uuid

import yaml

from bot import PROJECT_ROOT
from bot.clinic import load_clinic
from tests.rest_client import get, say

SECRET_KEYS = re.compile(r"(token|secret|password|api_key|access_key|auth)", re.IGNORECASE)


def test_the_http_api_is_off_by_default(servers):
    assert get(f"{servers.url}/status")[0] == 404
    assert get(f"{servers.url}/conversations/someone/tracker")[0] == 404


def test_cors_allows_only_the_clinics_websites(servers):
    allowed = load_clinic().website_origins[0]
    _, headers = get(f"{servers.url}/webhooks/rest/", {"Origin": allowed})
    assert headers.get("Access-Control-Allow-Origin") == allowed
    _, headers = get(f"{servers.url}/webhooks/rest/", {"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in headers


def test_logs_at_the_default_level_hold_no_message_text(servers):
    marker = f"zebra{uuid.uuid4().hex[:8]}"
    say(servers, "privacy-check", f"does KAP help {marker}")
    for log in ("rasa.log", "actions.log"):
        assert marker not in (servers.log_dir / log).read_text("utf-8", "replace")


def secret_values(node, path=""):
    """(path, value) of every YAML entry whose key names a secret and whose value is literal."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}"
            if SECRET_KEYS.search(str(key)) and isinstance(value, str) and not value.startswith("${"):
                yield where, value
            yield from secret_values(value, where)
    elif isinstance(node, list):
        for item in node:
            yield from secret_values(item, path)


def test_no_secret_is_written_in_the_repository():
    tracked = subprocess.run(["git", "ls-files", "*.yml", "*.yaml"], cwd=PROJECT_ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in tracked:
        found += [(name, where) for where, _ in secret_values(yaml.safe_load((PROJECT_ROOT / name).read_text("utf-8")))]
    assert not found
