"""The website widget in real Chromium, socket.io with python-socketio, and the callback channel.

One pair of servers plus the demo page's web server, for this module; the browser test stops the
Rasa server at the end to see the widget's "cannot reach" message, so it runs last.
"""

import asyncio
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import socketio
import yaml

from rasa.core.tracker_store import SQLTrackerStore

from bot.clinic import CLINIC_FILE, load_clinic
from bot.report import build_report
from bot.rest_client import post
from bot.servers import BotServers, free_port

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
XSS = "<img src=x onerror=alert(1)>"


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
    workdir = tmp_path_factory.mktemp("channels")
    web_port = free_port()
    settings = yaml.safe_load(CLINIC_FILE.read_text("utf-8"))
    settings["website_origins"] = [f"http://127.0.0.1:{web_port}"]
    (workdir / "clinic.yml").write_text(yaml.safe_dump(settings), "utf-8")
    servers = BotServers(
        model, free_port(), free_port(), workdir, tracker_db=workdir / "conversations.db",
        env={"KAP_CLINIC_FILE": str(workdir / "clinic.yml")}, web_port=web_port,
        callback_url=f"http://127.0.0.1:{receiver.server_port}/bot",
    )
    with servers:
        yield servers


async def socket_turns(servers, session_id, messages, origin):
    """Connects, asks for a session, sends messages; returns (confirmed id, bot messages per turn)."""
    client = socketio.AsyncClient(reconnection=False)
    confirmed = asyncio.get_running_loop().create_future()
    replies = asyncio.Queue()
    client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
    client.on("bot_uttered", lambda message: replies.put_nowait(message))
    await client.connect(servers.url, headers={"Origin": origin}, transports=["polling"],
                         socketio_path="/socket.io", wait_timeout=10)
    try:
        await client.emit("session_request", {"session_id": session_id})
        session = await asyncio.wait_for(confirmed, 10)
        turns = []
        for message in messages:
            await client.emit("user_uttered", {"message": message, "session_id": session})
            got = [await asyncio.wait_for(replies.get(), 30)]
            while True:  # the rest of this turn's messages arrive right after the first
                try:
                    got.append(await asyncio.wait_for(replies.get(), 1.5))
                except asyncio.TimeoutError:
                    break
            turns.append(got)
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
    messages = ["", "   ", "ketamine " * 12_000, "how\x00 effective\x07 is it", "<script>alert(1)</script>",
                "i have been thinking. " * 150 + "i want to die"]
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
    status, body = post(f"{web.url}/webhooks/callback/webhook",
                        json.dumps({"sender": "cb-user", "message": "does KAP help with pain"}).encode())
    assert status == 200
    texts = [m.get("text", "") for m in CallbackReceiver.received]
    assert any("pain management" in t for t in texts)
    assert all(m["recipient_id"] == "cb-user" for m in CallbackReceiver.received)


CRISIS_HREFS = {"tel:988", "sms:988", "tel:911", "sms:741741?&body=HOME"}


def crisis_box_hrefs(page):
    """The links of the newest crisis box in the widget's log."""
    box = page.locator(".kap-crisis").last
    return {a.get_attribute("href") for a in box.locator("a").element_handles()}


def test_socketio_crisis_reply_carries_tappable_links(web):
    origin = web.clinic().website_origins[0]
    _, (crisis,) = asyncio.run(socket_turns(web, uuid.uuid4().hex, ["there's no way out for me"], origin))
    assert CRISIS_HREFS <= {link["href"] for link in crisis[0]["links"]}


def open_widget(browser, web):
    """A page with the demo site, the widget opened and its greeting shown."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{web.web_url}/")
    page.get_by_role("button", name="Questions about KAP?").click()
    page.wait_for_selector(".kap-bot >> text=automated assistant", timeout=30000)
    return page


def ask(page, question):
    page.fill("#kap-input", question)
    page.keyboard.press("Enter")


def test_patients_say_whether_an_answer_helped_and_the_report_shows_the_misses(web, tmp_path):
    """Yes / No after an answer, in Chromium; No by keyboard; then `make report`'s tallies
    from the tracker store these conversations filled."""
    playwright = pytest.importorskip("playwright.sync_api")
    question = "does ketamine therapy help people with anxiety?"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = open_widget(browser, web)
        ask(page, question)
        prompt = page.get_by_role("group", name="Did this answer your question?")
        prompt.wait_for(timeout=30000)
        assert "anxiety" in page.locator(".kap-bot").last.inner_text().lower()
        buttons = [prompt.get_by_role("button", name=name) for name in ("Yes", "No")]
        for button in buttons:
            box = button.bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44
        page.screenshot(path=str(tmp_path / "feedback.png"))

        # No, with the keyboard: thanks, another way to ask, examples and the care team.
        suggestion_groups = page.locator(".kap-quick-replies").count()
        buttons[1].focus()
        page.keyboard.press("Enter")
        reply = page.wait_for_selector(".kap-bot >> text=put your question another way", timeout=30000)
        assert load_clinic().phone in reply.inner_text()
        assert page.locator(".kap-feedback").count() == 0
        assert page.locator(".kap-user").last.inner_text() == "No"
        assert page.evaluate("document.activeElement.id") == "kap-input"
        page.locator(".kap-quick-replies").nth(suggestion_groups).wait_for(timeout=10000)

        # A prompt left unanswered does not block the next question, and goes away with it.
        ask(page, "how fast does it work?")
        prompt.wait_for(timeout=30000)
        ask(page, "what about ptsd and trauma?")
        page.wait_for_selector(".kap-bot >> text=trauma", timeout=30000)
        prompt.wait_for(timeout=30000)
        assert page.locator(".kap-feedback").count() == 1
        prompt.get_by_role("button", name="Yes").click()
        page.wait_for_selector(".kap-bot >> text=Thank you for letting us know", timeout=30000)
        browser.close()

    # The No turn was stored before the later turns were handled (one sender's turns are serial).
    report = build_report(SQLTrackerStore(dialect="sqlite", db=str(web.tracker_db)), days=1)
    ratings = {r.title: (r.yes, r.no) for r in report.ratings}
    assert ratings["Anxiety"] == (0, 1)
    assert report.missed == [(question, "Anxiety", 1)]


def test_the_widget_in_chromium(web, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    dialogs = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        blocked = []
        page.on("requestfailed", lambda request: blocked.append(request.url))
        response = page.goto(f"{web.web_url}/")
        assert "default-src 'none'" in response.headers["content-security-policy"]

        # Open: the greeting with its disclosure, and quick replies.
        page.get_by_role("button", name="Questions about KAP?").click()
        log = page.get_by_role("log")
        page.wait_for_selector(".kap-bot >> text=automated assistant", timeout=30000)
        assert page.locator(".kap-quick-reply").count() > 0
        assert page.evaluate("document.activeElement.id") == "kap-input"

        # A question: the answer, the quote card and a DOI link that opens safely in a new tab.
        page.fill("#kap-input", "how effective is ketamine therapy?")
        page.keyboard.press("Enter")
        card = page.wait_for_selector(".kap-quote-card", timeout=30000)
        link = card.query_selector("a")
        assert link.get_attribute("href") == "https://doi.org/10.2147/JPR.S360733"
        assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
        assert "very effective" in log.inner_text()
        page.screenshot(path=str(tmp_path / "widget_open.png"))

        # A quick reply sends its question.
        before = page.locator(".kap-bot").count()
        choice = page.locator(".kap-quick-reply").nth(1)
        choice_text = choice.inner_text()
        choice.click()
        page.locator(".kap-bot").nth(before).wait_for(timeout=30000)
        assert page.locator(".kap-user").last.inner_text() == choice_text
        assert "depressive symptoms" in page.locator(".kap-bot").nth(before).inner_text()

        # Reload: the conversation is still there, in the same tab.
        messages = page.locator(".kap-message").count()
        page.reload()
        page.wait_for_selector(".kap-panel:not([hidden])", timeout=10000)
        assert page.locator(".kap-message").count() == messages
        assert page.locator(".kap-quote-card").count() >= 1

        # HTML from the user is shown as text, and nothing runs.
        page.locator(".kap-status").wait_for(state="hidden", timeout=15000)
        page.fill("#kap-input", XSS)
        page.keyboard.press("Enter")
        page.wait_for_selector(f".kap-user >> text={XSS}", timeout=10000)
        page.wait_for_timeout(1500)
        assert page.locator(".kap-log img").count() == 0
        assert dialogs == []

        # A crisis message: the crisis reply, with numbers a phone can call or text at a tap.
        page.fill("#kap-input", "i want to end my life")
        page.keyboard.press("Enter")
        page.wait_for_selector(".kap-crisis[role=alert]", timeout=30000)
        assert "988" in page.locator(".kap-crisis").last.inner_text()
        assert CRISIS_HREFS <= crisis_box_hrefs(page)

        # "In crisis?" is in the header, and shows the resources at once, from the page.
        crisis_button = page.get_by_role("button", name="In crisis?")
        assert crisis_button.is_visible()
        boxes = page.locator(".kap-crisis").count()
        crisis_button.click()
        page.locator(".kap-crisis").nth(boxes).wait_for(timeout=2000)
        assert CRISIS_HREFS <= crisis_box_hrefs(page)

        # The Rasa server goes away: the widget says so, with the clinic's number and the help line.
        web.stop_rasa()
        status = page.wait_for_selector(".kap-status:not([hidden])", timeout=30000)
        notice = status.inner_text()
        assert "can't be reached" in notice and load_clinic().phone in notice
        assert load_clinic().lines.help_line in notice

        # With the assistant unreachable, a crisis message still gets the crisis resources.
        boxes = page.locator(".kap-crisis").count()
        page.fill("#kap-input", "i want to end my life")
        page.keyboard.press("Enter")
        page.locator(".kap-crisis").nth(boxes).wait_for(timeout=2000)
        assert "988" in page.locator(".kap-crisis").last.inner_text()
        assert CRISIS_HREFS <= crisis_box_hrefs(page)

        # Phone-sized screen: the panel fills the screen, and "In crisis?" is there and works.
        page.set_viewport_size({"width": 375, "height": 700})
        box = page.locator(".kap-panel").bounding_box()
        assert box["width"] >= 370
        assert crisis_button.is_visible()
        button_box = crisis_button.bounding_box()
        assert button_box["x"] >= 0 and button_box["x"] + button_box["width"] <= 375
        boxes = page.locator(".kap-crisis").count()
        crisis_button.click()
        page.locator(".kap-crisis").nth(boxes).wait_for(timeout=2000)
        browser.close()
    assert not [url for url in blocked if not url.startswith("http://127.0.0.1")], blocked
