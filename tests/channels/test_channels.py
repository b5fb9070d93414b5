"""Rasa's socket.io channel as the widget uses it (driven by python-socketio), and the callback
channel. The widget itself, in Chromium: tests/channels/test_widget.py."""

import asyncio
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import socketio

from bot.channels.web import ScreenedSocketIOOutput
from bot.content.clinic import current_clinic
from bot.content.responses import render
from bot.ops.http_client import post
from bot.ops.servers import free_port
from tests.support.browser import CRISIS_HREFS, widget_servers


class CallbackReceiver(BaseHTTPRequestHandler):
    """Collects what the bot POSTs to the callback URL."""

    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), CallbackReceiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def web(model, receiver, tmp_path_factory):
    with widget_servers(
        model, tmp_path_factory.mktemp("channels"), callback_url=f"http://127.0.0.1:{receiver.server_port}/bot"
    ) as servers:
        yield servers


async def socket_turns(servers, session_id, messages, origin):
    """Connects, asks for a session, sends messages; returns (confirmed id, bot messages per turn)."""
    client = socketio.AsyncClient(reconnection=False)
    confirmed = asyncio.get_running_loop().create_future()
    replies = asyncio.Queue()
    client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
    client.on("bot_uttered", lambda message: replies.put_nowait(message))
    await client.connect(
        servers.url, headers={"Origin": origin}, transports=["polling"], socketio_path="/socket.io", wait_timeout=10
    )
    try:
        await client.emit("session_request", {"session_id": session_id})
        session = await asyncio.wait_for(confirmed, 10)
        turns = []
        for message in messages:
            # The server acknowledges a message once its turn is over, after all its replies.
            await client.call("user_uttered", {"message": message, "session_id": session}, timeout=60)
            turns.append([replies.get_nowait() for _ in range(replies.qsize())])
        return session, turns
    finally:
        await client.disconnect()


def test_socketio_handshake_answer_with_citation_payload_and_persistent_session(web):
    origin = web.clinic().website_origins[0]
    session_id = uuid.uuid4().hex
    session, (answer,) = asyncio.run(socket_turns(web, session_id, ["how effective is ketamine therapy?"], origin))
    assert session == session_id
    assert "very effective" in answer[0]["text"]
    cards = [m["custom"] for m in answer if "custom" in m]
    assert cards and cards[0]["type"] == "citation" and cards[0]["citation"]["doi"] == "10.2147/JPR.S360733"
    # A new connection with the same session id continues the same conversation.
    _, (source,) = asyncio.run(socket_turns(web, session_id, ["where is that from?"], origin))
    assert '"several studies"' in " ".join(m.get("text", "") for m in source)


def test_socketio_marks_the_crisis_reply(web):
    origin = web.clinic().website_origins[0]
    _, (crisis,) = asyncio.run(socket_turns(web, uuid.uuid4().hex, ["i want to end my life"], origin))
    assert len(crisis) == 1 and crisis[0]["crisis"] is True and "988" in crisis[0]["text"]


def test_socketio_answers_bad_input_clearly(web):
    origin = web.clinic().website_origins[0]
    messages = [
        "",
        "   ",
        "ketamine " * 12_000,
        "how\x00 effective\x07 is it",
        "<script>alert(1)</script>",
        "i have been thinking. " * 150 + "i want to die",
    ]
    _, turns = asyncio.run(socket_turns(web, uuid.uuid4().hex, messages, origin))
    replies = [" ".join(m.get("text", "") for m in turn) for turn in turns]
    assert "empty" in replies[0] and "empty" in replies[1]
    assert "shorten" in replies[2]
    assert all(reply.strip() for reply in replies[3:5])
    assert "<script>" not in replies[4]
    assert "988" in replies[5] and turns[5][0]["crisis"] is True


def test_socketio_refuses_other_websites(web):
    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(socket_turns(web, uuid.uuid4().hex, [], "https://evil.example"))


def test_callback_channel_posts_the_bots_messages_to_the_callback_url(web, receiver):
    CallbackReceiver.received.clear()
    status, body = post(
        f"{web.url}/webhooks/callback/webhook",
        json.dumps({"sender": "cb-user", "message": "does KAP help with pain"}).encode(),
    )
    assert status == 200
    texts = [m.get("text", "") for m in CallbackReceiver.received]
    assert any("pain management" in t for t in texts)
    assert all(m["recipient_id"] == "cb-user" for m in CallbackReceiver.received)


def test_socketio_crisis_reply_carries_tappable_links(web):
    origin = web.clinic().website_origins[0]
    _, (crisis,) = asyncio.run(socket_turns(web, uuid.uuid4().hex, ["there's no way out for me"], origin))
    assert CRISIS_HREFS <= {link["href"] for link in crisis[0]["links"]}


class RecordingSocket:
    def __init__(self):
        self.emitted = []

    async def emit(self, event, data, room=None):
        self.emitted.append(data)


def test_the_widget_gets_every_reply_with_the_crisis_lines_marked_with_their_links():
    socket = RecordingSocket()
    output = ScreenedSocketIOOutput(socket, "bot_uttered")
    thanks = render("utter_you_are_welcome", {"in_crisis": True, "crisis_subject": "self"})
    for message in ({"text": thanks}, {"text": "x", "utter_action": "utter_crisis"}, {"text": "plain answer"}):
        asyncio.run(output.send_response("me", message))
    marked = [data for data in socket.emitted if data.get("crisis")]
    assert [data["text"] for data in marked] == [thanks, "x"]
    assert all(data["links"] == current_clinic().crisis_links() for data in marked)
    assert socket.emitted[2] == {"text": "plain answer"}
