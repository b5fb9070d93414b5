"""Serves the chat widget and a demo clinic page, with a Content-Security-Policy.

`python -m bot.channels.widget_server --port 8080 --rasa-url http://localhost:5005` (started by `make run`).
The demo page is filled in from clinic.yml; the widget's files are served as they are, with
socket.io's client from bot/channels/widget/vendor/ (installed from npm by the set-up).
"""

import argparse
import functools
import html
import json
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from bot.content.clinic import current_clinic, load_clinic
from bot.content.responses import render
from bot.nlu.crisis_patterns import crisis_patterns

WEB_ROOT = Path(__file__).resolve().parent / "widget"


def content_security_policy(rasa_url: str) -> str:
    """Only this site's own files; connections only to this site and the Rasa server."""
    parts = urlsplit(rasa_url)
    socket_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        f"connect-src 'self' {parts.scheme}://{parts.netloc} {socket_url}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def demo_page(rasa_url: str) -> bytes:
    values = {"rasa_url": rasa_url, **load_clinic().template_values()}
    page = (WEB_ROOT / "demo.html").read_text("utf-8")
    for name, value in values.items():
        page = page.replace("{{" + name + "}}", html.escape(value))
    return page.encode("utf-8")


def crisis_data() -> bytes:
    """What the widget needs to help a patient in crisis on its own, without a round trip to
    the bot: the crisis reply and its links (clinic.yml), the help line, and the patterns; and
    the clinic's cap on a message's length, for the input box."""
    clinic = current_clinic()
    return json.dumps(
        {
            "reply": render("utter_crisis"),
            "links": clinic.crisis_links(),
            "help_line": clinic.lines.help_line,
            "patterns": crisis_patterns().for_browser()["crisis"],
            "max_message_chars": clinic.max_message_chars,
        }
    ).encode("utf-8")


class WidgetHandler(SimpleHTTPRequestHandler):
    """Static files of bot/channels/widget/, the demo page at /, security headers on everything."""

    rasa_url = "http://localhost:5005"

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", content_security_policy(self.rasa_url))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path in ("/", "/index.html", "/demo.html"):
            self._send(demo_page(self.rasa_url), "text/html; charset=utf-8")
        elif path == "/crisis.json":
            self._send(crisis_data(), "application/json")
        else:
            super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def list_directory(self, path):  # noqa: ANN001 - stdlib signature
        """No directory listings."""
        self.send_error(404)
        return None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Requests are not logged: paths are enough to find a problem, and nothing more is kept."""


def make_server(port: int, rasa_url: str, interface: str = "127.0.0.1") -> ThreadingHTTPServer:
    handler = type("Handler", (WidgetHandler,), {"rasa_url": rasa_url})
    return ThreadingHTTPServer((interface, port), functools.partial(handler, directory=str(WEB_ROOT)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--interface", default="127.0.0.1")
    parser.add_argument("--rasa-url", default="http://localhost:5005")
    args = parser.parse_args()
    make_server(args.port, args.rasa_url, args.interface).serve_forever()


if __name__ == "__main__":
    main()
