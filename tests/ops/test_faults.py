"""Faults and load against real servers: action server down or slow, Rasa restarted, 20 clients.

These tests stop and start servers, so they run their own pair, with a SQLite tracker store
they can read, a short reply timeout, and the HTTP API enabled behind a token.
"""

import json
import socket
import sqlite3
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from bot.content.clinic import CLINIC_FILE, load_clinic
from bot.ops.http_client import get
from bot.ops.servers import BotServers, free_port
from tests.support.rest_turns import say, texts

API_TOKEN = "test-token-" + uuid.uuid4().hex
REPLY_TIMEOUT = 8


@pytest.fixture(scope="module")
def fault_servers(model, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("faults")
    settings = yaml.safe_load(CLINIC_FILE.read_text("utf-8"))
    settings["reply_timeout_seconds"] = REPLY_TIMEOUT
    (workdir / "clinic.yml").write_text(yaml.safe_dump(settings), "utf-8")
    servers = BotServers(
        model,
        free_port(),
        free_port(),
        workdir,
        tracker_db=workdir / "conversations.db",
        extra_args=["--enable-api", "--auth-token", API_TOKEN],
        env={"KAP_CLINIC_FILE": str(workdir / "clinic.yml")},
    )
    with servers:
        yield servers


def sender():
    return f"fault-{uuid.uuid4().hex[:8]}"


def stored_user_messages(servers, sender_id):
    with sqlite3.connect(servers.tracker_db) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender_id,)
        ).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


def test_action_server_down_gives_an_apology_then_answers_resume(fault_servers):
    fault_servers.stop_actions()
    try:
        (reply,) = texts(say(fault_servers, sender(), "how effective is ketamine therapy?"))
        assert "technical problem" in reply and load_clinic().phone in reply
        (crisis,) = texts(say(fault_servers, sender(), "i want to kill myself"))
        assert "988" in crisis and "741741" in crisis
    finally:
        fault_servers.start_actions()
    assert "very effective" in texts(say(fault_servers, sender(), "how effective is ketamine therapy?"))[0]


def test_a_slow_action_server_gives_an_apology_within_the_timeout(fault_servers):
    fault_servers.stop_actions()
    # Something listens on the action server's port but never answers.
    silent = socket.socket()
    try:
        silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        silent.bind(("127.0.0.1", fault_servers.actions_port))
        silent.listen(16)
        started = time.monotonic()
        (reply,) = texts(say(fault_servers, sender(), "does KAP help with anxiety"))
        assert "technical problem" in reply
        assert time.monotonic() - started < REPLY_TIMEOUT + 5
    finally:
        silent.close()
        fault_servers.start_actions()
    assert "anxiety" in texts(say(fault_servers, sender(), "does KAP help with anxiety"))[0]


def test_after_a_rasa_restart_the_conversation_goes_on(fault_servers):
    patient = sender()
    say(fault_servers, patient, "can ketamine therapy help with addiction")
    fault_servers.stop_rasa()
    fault_servers.start_rasa()
    (source,) = texts(say(fault_servers, patient, "where is that from?"))
    assert "Journal of Pain Research" in source
    assert stored_user_messages(fault_servers, patient) == [
        "can ketamine therapy help with addiction",
        "where is that from?",
    ]


def test_twenty_concurrent_clients_lose_and_mix_nothing(fault_servers):
    questions = [
        "hi",
        "how effective is ketamine therapy",
        "where is that from?",
        "does it help with trauma",
        "can you quote that",
        "thanks",
    ]
    clients = [f"load-{i}-{uuid.uuid4().hex[:6]}" for i in range(20)]
    failures = []
    lock = threading.Lock()

    def converse(client):
        for question in questions:
            try:
                reply = " ".join(texts(say(fault_servers, client, question, timeout=120)))
                if not reply or "technical problem" in reply:
                    raise AssertionError(f"no real reply: {reply[:80]!r}")
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                with lock:
                    failures.append((client, question, repr(error)))

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(converse, clients))
    elapsed = time.monotonic() - started
    print(f"20 clients x {len(questions)} turns in {elapsed:.1f}s")
    assert not failures
    for client in clients:
        assert stored_user_messages(fault_servers, client) == questions, client


def test_the_http_api_requires_the_token(fault_servers):
    assert get(f"{fault_servers.url}/status")[0] == 401
    assert get(f"{fault_servers.url}/status?token=wrong")[0] == 401
    assert get(f"{fault_servers.url}/status?token={API_TOKEN}")[0] == 200
