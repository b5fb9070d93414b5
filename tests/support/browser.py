"""The widget's servers and Chromium, for the browser tests (Debian's chromium, driven by Playwright)."""

from contextlib import contextmanager

import yaml

from bot.content.clinic import CLINIC_FILE
from bot.ops.servers import BotServers, free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CRISIS_HREFS = {"tel:988", "sms:988", "tel:911", "sms:741741?&body=HOME"}
LAUNCHER = "Questions about KAP?"


@contextmanager
def widget_servers(model, workdir, **options):
    """The action server, the Rasa server and the demo page's web server; the clinic's website
    is the web server's own origin, http://127.0.0.1:<port> (http://localhost:<port> is not)."""
    widget_port = free_port()
    settings = yaml.safe_load(CLINIC_FILE.read_text("utf-8"))
    settings["website_origins"] = [f"http://127.0.0.1:{widget_port}"]
    (workdir / "clinic.yml").write_text(yaml.safe_dump(settings), "utf-8")
    with BotServers(
        model,
        free_port(),
        free_port(),
        workdir,
        tracker_db=workdir / "conversations.db",
        env={"KAP_CLINIC_FILE": str(workdir / "clinic.yml")},
        widget_port=widget_port,
        **options,
    ) as servers:
        yield servers


def open_widget(context, url):
    """A new page of the demo site with the widget opened and its greeting shown."""
    page = context.new_page()
    page.goto(url)
    page.get_by_role("button", name=LAUNCHER).click()
    page.wait_for_selector(".kap-bot >> text=automated assistant", timeout=30000)
    return page


def ask(page, question):
    page.fill("#kap-input", question)
    page.keyboard.press("Enter")


def wait_for_turn_end(page):
    """Until every message the patient sent was acknowledged by the server (its turn is over)."""
    page.wait_for_selector('.kap-widget[data-pending="0"]', state="attached", timeout=30000)


def crisis_box_hrefs(page):
    """The links of the newest crisis box in the widget's log."""
    box = page.locator(".kap-crisis").last
    return {a.get_attribute("href") for a in box.locator("a").element_handles()}


def top_in_view(page, locator):
    """Whether the first line of the element is visible in the log's viewport."""
    return page.evaluate(
        """(node) => {
             const log = document.querySelector('.kap-log').getBoundingClientRect();
             const box = node.getBoundingClientRect();
             return box.top >= log.top - 1 && box.top + 16 <= log.bottom;
           }""",
        locator.element_handle(),
    )
