"""The website widget in real Chromium: conversation, safety, delivery, layout and accessibility.

One set of servers for the module (the widget's web server included). The last test stops the
Rasa server to see what the widget does without it, so it stays last in this file.
"""

import pytest
from rasa.core.tracker_store import SQLTrackerStore

from bot import PROJECT_ROOT
from bot.content.clinic import load_clinic
from bot.ops.report import build_report
from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CRISIS_HREFS,
    LAUNCHER,
    ask,
    crisis_box_hrefs,
    open_widget,
    top_in_view,
    wait_for_turn_end,
    widget_servers,
)

playwright = pytest.importorskip("playwright.sync_api")

XSS = "<img src=x onerror=alert(1)>"
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 700}
# What a proxy that blocks websockets looks like to a page: every websocket fails to open.
BLOCKED_WEBSOCKETS = """
window.WebSocket = class BlockedWebSocket extends EventTarget {
  constructor(url) {
    super();
    this.url = url;
    this.readyState = 0;
    setTimeout(() => {
      this.readyState = 3;
      if (this.onerror) this.onerror(new Event("error"));
      if (this.onclose) this.onclose({ code: 1006, reason: "" });
    });
  }
  send() { throw new Error("the websocket is closed"); }
  close() {}
};
"""


@pytest.fixture(scope="module")
def bot_site(model, tmp_path_factory):
    with widget_servers(model, tmp_path_factory.mktemp("widget")) as servers:
        yield servers


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context
    context.close()


def with_send_timeout(context, milliseconds):
    """Serves widget.js with a shorter default send timeout than its 30 s. (Changing the demo
    page instead would make Chromium treat it as a public page, not allowed to reach loopback.)"""
    default = 'Number(script.getAttribute("data-send-timeout")) || 30000'

    def handle(route):
        response = route.fetch()
        assert response.text().count(default) == 1
        route.fulfill(response=response, body=response.text().replace(default, str(milliseconds)))

    context.route("**/widget.js", handle)


def test_a_message_typed_while_offline_is_sent_when_the_network_is_back(context, bot_site):
    page = open_widget(context, bot_site.widget_url)
    context.set_offline(True)
    page.locator(".kap-status").wait_for(state="visible", timeout=10000)
    ask(page, "does it help with ptsd?")
    question = page.locator(".kap-user").last
    assert "sending…" in question.inner_text()
    assert "sent when the connection is back" in page.locator(".kap-status").inner_text()

    context.set_offline(False)
    page.wait_for_selector(".kap-bot >> text=trauma", timeout=30000)
    wait_for_turn_end(page)
    assert question.inner_text() == "does it help with ptsd?"
    assert page.locator(".kap-status").is_hidden()


def test_a_message_not_sent_in_time_is_marked_and_can_be_sent_again(context, bot_site):
    with_send_timeout(context, 1500)
    page = open_widget(context, bot_site.widget_url)
    context.set_offline(True)
    page.locator(".kap-status").wait_for(state="visible", timeout=10000)
    ask(page, "is it good for chronic pain")
    retry = page.get_by_role("button", name="Not delivered — tap to retry")
    retry.wait_for(timeout=10000)

    # Back online, and after a reload, the message is still there with its retry; tapped, it is sent.
    context.set_offline(False)
    page.reload()
    retry.wait_for(timeout=10000)
    page.locator(".kap-status").wait_for(state="hidden", timeout=30000)
    retry.click()
    page.wait_for_selector(".kap-bot >> text=pain", timeout=30000)
    wait_for_turn_end(page)
    assert page.locator(".kap-user").count() == 1
    assert page.locator(".kap-user").inner_text() == "is it good for chronic pain"


def test_the_widget_converses_when_websockets_are_blocked(context, bot_site):
    page = context.new_page()
    page.add_init_script(BLOCKED_WEBSOCKETS)
    polls = []
    page.on("request", lambda request: "transport=polling" in request.url and polls.append(request.method))
    page.goto(bot_site.widget_url)
    page.get_by_role("button", name=LAUNCHER).click()
    page.wait_for_selector(".kap-bot >> text=automated assistant", timeout=30000)
    ask(page, "does ketamine therapy help with anxiety?")
    page.wait_for_selector(".kap-bot >> text=anxiety", timeout=30000)
    wait_for_turn_end(page)
    assert "POST" in polls and "GET" in polls


def test_a_duplicated_tab_has_its_own_conversation(context, bot_site):
    first = open_widget(context, bot_site.widget_url)
    ask(first, "how effective is ketamine therapy?")
    first.wait_for_selector(".kap-quote-card", timeout=30000)
    wait_for_turn_end(first)

    with context.expect_page() as opened:
        first.evaluate("window.open(location.href)")
    second = opened.value
    second.wait_for_selector(".kap-bot >> text=automated assistant", timeout=30000)
    assert second.locator(".kap-user").count() == 0
    session = "sessionStorage.getItem('kap-widget-session')"
    assert second.evaluate(session) != first.evaluate(session)

    ask(second, "does it help with pain?")
    second.wait_for_selector(".kap-bot >> text=pain management", timeout=30000)
    wait_for_turn_end(second)
    ask(first, "how fast does it work?")
    wait_for_turn_end(first)
    assert "pain management" not in first.locator(".kap-log").inner_text()
    assert "very effective" not in second.locator(".kap-log").inner_text()


def test_each_reply_opens_at_its_first_line_and_a_reload_at_the_newest_exchange(context, bot_site):
    page = open_widget(context, bot_site.widget_url)
    assert top_in_view(page, page.locator(".kap-bot").first)
    for question in ("how effective is ketamine therapy?", "does it help with depression?"):
        ask(page, question)
        wait_for_turn_end(page)
    before = page.locator(".kap-bot").count()
    ask(page, "which paper is this based on and where do your answers come from?")
    wait_for_turn_end(page)
    assert top_in_view(page, page.locator(".kap-user").last)
    assert top_in_view(page, page.locator(".kap-bot").nth(before))

    page.reload()
    page.locator(".kap-panel:not([hidden])").wait_for(timeout=10000)
    assert page.evaluate("document.querySelector('.kap-log').scrollTop") > 0
    assert top_in_view(page, page.locator(".kap-user").last)

    ask(page, "i want to end my life")
    page.locator(".kap-crisis").last.wait_for(timeout=30000)
    wait_for_turn_end(page)
    assert top_in_view(page, page.locator(".kap-crisis").last)


def test_keyboard_focus_and_the_phone_layout_as_a_modal_dialog(context, bot_site):
    page = open_widget(context, bot_site.widget_url)
    assert page.locator(".kap-panel").get_attribute("aria-modal") is None
    suggestion = page.locator(".kap-quick-reply").first
    suggestion.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "kap-input"
    wait_for_turn_end(page)

    page.get_by_role("button", name=LAUNCHER).focus()
    page.keyboard.press("Escape")
    assert page.locator(".kap-panel").is_hidden()

    page.set_viewport_size(PHONE)
    page.get_by_role("button", name=LAUNCHER).click()
    assert page.locator(".kap-panel").get_attribute("aria-modal") == "true"
    inside = "document.activeElement.closest('#kap-panel') !== null"
    for key in ["Tab"] * 12 + ["Shift+Tab"] * 12:
        page.keyboard.press(key)
        assert page.evaluate(inside), key
    page.keyboard.press("Escape")
    assert page.locator(".kap-panel").is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('kap-launcher')")


def test_suggestions_replace_each_other_and_every_doi_is_one_link(context, bot_site):
    page = open_widget(context, bot_site.widget_url)
    for question in ("what's the weather like tomorrow", "how much does a session cost"):
        ask(page, question)
        wait_for_turn_end(page)
    assert page.locator(".kap-quick-replies").count() == 1

    ask(page, "how effective is ketamine therapy?")
    wait_for_turn_end(page)
    card = page.locator(".kap-quote-card").first
    assert card.locator("a").count() == 1
    assert card.inner_text().count("10.2147/JPR.S360733") == 1

    ask(page, "references please")
    wait_for_turn_end(page)
    reference = page.locator(".kap-bot", has_text="Journal of Pain Research").last
    link = reference.locator("a")
    assert link.count() == 1 and link.get_attribute("href") == "https://doi.org/10.2147/JPR.S360733"


def test_every_control_is_a_44_pixel_target_and_axe_finds_nothing_on_the_page(browser, bot_site):
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)  # to inject axe-core
    page = open_widget(context, bot_site.widget_url)
    for question in ("how effective is ketamine therapy?", "i want to end my life"):
        ask(page, question)
        wait_for_turn_end(page)
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        targets = page.locator(".kap-widget button:visible, .kap-widget a.kap-crisis-link:visible")
        small = [
            (t.inner_text(), box)
            for t in targets.all()
            if (box := t.bounding_box())["width"] < 44 or box["height"] < 44
        ]
        assert small == [], viewport
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("""async () => (await axe.run(document)).violations.map(
            violation => [violation.id, violation.nodes.map(node => node.target.join(' '))])""")
        assert violations == [], viewport
    context.close()


def test_a_website_the_bot_does_not_accept_is_told_so_and_retries_stop(context, bot_site):
    refused_site = bot_site.widget_url.replace("127.0.0.1", "localhost")
    errors = []
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    attempts = []
    page.on("request", lambda request: "/socket.io/" in request.url and attempts.append(request.url))
    page.on("websocket", lambda websocket: attempts.append(websocket.url))
    page.clock.install()  # so that the test can let the reconnection delays pass at once
    page.goto(f"{refused_site}/")
    page.get_by_role("button", name=LAUNCHER).click()
    notice = page.locator(".kap-status", has_text="not available on this website")
    notice.filter(has_text=load_clinic().lines.help_line).wait_for(timeout=30000)
    assert load_clinic().phone in notice.inner_text()
    named = [e for e in errors if "website_origins" in e]
    assert len(named) == 1 and "http://localhost:" in named[0]

    tried = len(attempts)
    ask(page, "i want to end my life")
    page.locator(".kap-crisis").wait_for(timeout=2000)
    assert CRISIS_HREFS <= crisis_box_hrefs(page)
    assert page.get_by_role("button", name="Not delivered — tap to retry").is_visible()
    page.clock.run_for(120_000)  # four times socket.io's longest reconnection delay
    assert len(attempts) == tried


def test_patients_say_whether_an_answer_helped_and_the_report_shows_the_misses(context, bot_site, tmp_path):
    """Yes / No after an answer, in Chromium; No by keyboard; then `make report`'s tallies
    from the tracker store these conversations filled."""
    question = "does ketamine therapy help people with anxiety?"
    page = open_widget(context, bot_site.widget_url)
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
    buttons[1].focus()
    page.keyboard.press("Enter")
    reply = page.wait_for_selector(".kap-bot >> text=put your question another way", timeout=30000)
    assert load_clinic().phone in reply.inner_text()
    assert page.locator(".kap-feedback").count() == 0
    assert page.evaluate("document.activeElement.id") == "kap-input"
    wait_for_turn_end(page)
    assert page.locator(".kap-user").last.inner_text() == "No"
    assert page.locator(".kap-quick-replies").count() == 1

    # A prompt left unanswered does not block the next question, and goes away with it.
    ask(page, "how fast does it work?")
    prompt.wait_for(timeout=30000)
    ask(page, "what about ptsd and trauma?")
    page.wait_for_selector(".kap-bot >> text=trauma", timeout=30000)
    wait_for_turn_end(page)
    assert page.locator(".kap-feedback").count() == 1
    prompt.get_by_role("button", name="Yes").click()
    page.wait_for_selector(".kap-bot >> text=Thank you for letting us know", timeout=30000)

    # The No turn was stored before the later turns were handled (one sender's turns are serial).
    report = build_report(SQLTrackerStore(dialect="sqlite", db=str(bot_site.tracker_db)), days=1)
    ratings = {r.title: (r.yes, r.no) for r in report.ratings}
    assert ratings["Anxiety"] == (0, 1)
    assert report.missed == [(question, "Anxiety", 1)]


def test_the_widget_in_chromium_and_without_the_rasa_server(browser, bot_site, tmp_path):
    dialogs, blocked = [], []
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("requestfailed", lambda request: blocked.append(request.url))
    response = page.goto(f"{bot_site.widget_url}/")
    assert "default-src 'none'" in response.headers["content-security-policy"]

    # Open: the greeting with its disclosure, and quick replies.
    page.get_by_role("button", name=LAUNCHER).click()
    log = page.get_by_role("log")
    page.wait_for_selector(".kap-bot >> text=automated assistant", timeout=30000)
    page.locator(".kap-quick-reply").first.wait_for(timeout=10000)
    assert page.evaluate("document.activeElement.id") == "kap-input"
    # The input box takes no more than the clinic's cap (clinic.yml, served with crisis.json).
    page.wait_for_function(f"document.getElementById('kap-input').maxLength === {load_clinic().max_message_chars}")

    # A question: the answer, the quote card and a DOI link that opens safely in a new tab.
    ask(page, "how effective is ketamine therapy?")
    card = page.wait_for_selector(".kap-quote-card", timeout=30000)
    link = card.query_selector("a")
    assert link.get_attribute("href") == "https://doi.org/10.2147/JPR.S360733"
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    assert "very effective" in log.inner_text()
    wait_for_turn_end(page)
    page.screenshot(path=str(tmp_path / "widget_open.png"))

    # A quick reply sends its question.
    before = page.locator(".kap-bot").count()
    choice = page.locator(".kap-quick-reply").nth(1)
    choice_text = choice.inner_text()
    choice.click()
    page.locator(".kap-bot").nth(before).wait_for(timeout=30000)
    wait_for_turn_end(page)
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
    ask(page, XSS)
    page.wait_for_selector(f".kap-user >> text={XSS}", timeout=10000)
    wait_for_turn_end(page)
    assert page.locator(".kap-log img").count() == 0
    assert dialogs == []

    # A crisis message: the crisis reply, with numbers a phone can call or text at a tap.
    ask(page, "i want to end my life")
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
    bot_site.stop_rasa()
    status = page.wait_for_selector(".kap-status:not([hidden])", timeout=30000)
    notice = status.inner_text()
    assert "can't be reached" in notice and load_clinic().phone in notice
    assert load_clinic().lines.help_line in notice

    # With the assistant unreachable, a crisis message still gets the crisis resources.
    boxes = page.locator(".kap-crisis").count()
    ask(page, "i want to end my life")
    page.locator(".kap-crisis").nth(boxes).wait_for(timeout=2000)
    assert "988" in page.locator(".kap-crisis").last.inner_text()
    assert CRISIS_HREFS <= crisis_box_hrefs(page)
    assert "sending…" in page.locator(".kap-user").last.inner_text()

    # Phone-sized screen: the panel fills the screen, and "In crisis?" is there and works.
    page.set_viewport_size(PHONE)
    box = page.locator(".kap-panel").bounding_box()
    assert box["width"] >= 370
    assert crisis_button.is_visible()
    button_box = crisis_button.bounding_box()
    assert button_box["x"] >= 0 and button_box["x"] + button_box["width"] <= 375
    boxes = page.locator(".kap-crisis").count()
    crisis_button.click()
    page.locator(".kap-crisis").nth(boxes).wait_for(timeout=2000)
    context.close()
    assert not [url for url in blocked if not url.startswith("http://127.0.0.1")], blocked
