"""The widget's crisis safety net (bot/channels/widget/crisis-match.js, run in Node) judges every message of
the held-out sets as the Python patterns do, from the same data served as /crisis.json."""

import json
import shutil
import subprocess
import unicodedata

import pytest

from bot import PROJECT_ROOT
from bot.bench.crisis_sets import CRISIS_SETS, HARMLESS_SETS, load_messages
from bot.channels.widget_server import crisis_data
from bot.content.clinic import current_clinic
from bot.nlu.crisis_patterns import crisis_patterns

MATCHER = PROJECT_ROOT / "bot" / "channels" / "widget" / "crisis-match.js"
RUN = """
const api = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const compiled = api.compile(input.patterns);
process.stdout.write(JSON.stringify(input.texts.map((text) => api.matches(compiled, text))));
"""


@pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed")
def test_the_widget_matches_crisis_messages_exactly_as_the_bot_does():
    data = json.loads(crisis_data())
    texts = [m["text"] for m in load_messages(CRISIS_SETS + HARMLESS_SETS)]
    texts += ["There’s no way out for me", "i   want\tto  die", "my back is killing me"]
    # The phrase lists of 48 languages, their everyday phrases, and both typed with separate accents.
    listed = [
        text
        for entry in crisis_patterns().sources["crisis"]
        for key in ("phrases", "never")
        for phrases in entry.get(key, {}).values()
        for text in phrases
    ]
    texts += listed + [unicodedata.normalize("NFD", text).upper() for text in listed]
    result = subprocess.run(
        ["node", "-e", RUN, str(MATCHER)],
        input=json.dumps({"patterns": data["patterns"], "texts": texts}),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    in_browser = json.loads(result.stdout)
    in_python = [crisis_patterns().find(text) is not None for text in texts]
    assert [t for t, b, p in zip(texts, in_browser, in_python, strict=False) if b != p] == []
    assert sum(in_browser) >= 150


def test_the_crisis_data_served_to_the_page_comes_from_clinic_yml():
    data = json.loads(crisis_data())
    assert "988" in data["reply"] and data["help_line"].startswith("In crisis?")
    assert {"tel:988", "sms:988", "tel:911", "sms:741741?&body=HOME"} <= {link["href"] for link in data["links"]}
    assert data["max_message_chars"] == current_clinic().max_message_chars
