"""Command line of the project's tooling: `python -m bot serve` starts the bot for `make run`."""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from bot.content.clinic import ClinicConfigError, load_clinic
from bot.content.knowledge import KnowledgeError, load_knowledge
from bot.ops.servers import MODEL, BotServers, ServerError


def serve(args: argparse.Namespace) -> int:
    """Checks the knowledge and clinic settings, starts both servers, waits for Ctrl-C.

    Rasa calls the action server at ACTION_SERVER_URL when it is set (as endpoints.prod.yml
    says), else the one started here."""
    try:
        load_knowledge()
        load_clinic()
    except (KnowledgeError, ClinicConfigError) as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 2
    # A `kill` (SIGTERM) stops the servers as cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print("Starting the action server and the Rasa server (this takes about a minute)...")
    try:
        token = os.environ.get("RASA_API_TOKEN")
        api = ["--enable-api", "--auth-token", token] if token else []
        with BotServers(
            args.model,
            args.port,
            args.actions_port,
            args.logs,
            args.interface,
            endpoints=args.endpoints,
            extra_args=api,
            widget_port=args.widget_port,
            action_server_url=os.environ.get("ACTION_SERVER_URL"),
        ) as servers:
            print(
                f"\nThe KAP FAQ assistant is up: REST channel at {servers.url}/webhooks/rest/webhook\n"
                f"Talk to it with:\n"
                f"  curl -s -X POST {servers.url}/webhooks/rest/webhook -H 'Content-Type: application/json' \\\n"
                f'       -d \'{{"sender": "me", "message": "how effective is ketamine therapy?"}}\'\n'
                f"or, in another terminal, chat in the shell (uses this action server):\n"
                f"  .venv/bin/rasa shell --model {args.model} --port {args.port + 1}\n"
                f"or open the demo page with the chat widget: {servers.widget_url}/\n"
                f"Logs: {args.logs}/rasa.log and {args.logs}/actions.log. Stop with Ctrl-C."
            )
            while all(p.poll() is None for p in (servers.rasa, servers.actions, servers.widget)):
                time.sleep(1)
            print("A server stopped unexpectedly; see the logs.", file=sys.stderr)
            return 1
    except ServerError as error:
        print(f"Could not start: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped.")
        return 0


def prune_conversations(args: argparse.Namespace) -> int:
    """Deletes conversations older than --days (default: retention_days of clinic.yml)."""
    from bot.ops.retention import open_store, prune

    days = args.days if args.days is not None else load_clinic().retention_days
    deleted = prune(open_store(args.endpoints), days)
    print(f"Deleted {deleted} conversation(s) older than {days} day(s).")
    return 0


def report(args: argparse.Namespace) -> int:
    """Writes the report of the last --days days from the tracker store."""
    from bot.ops.report import write_report
    from bot.ops.retention import open_store

    path = write_report(open_store(args.endpoints), args.days, args.out)
    print(path.read_text("utf-8"))
    print(f"Written to {path} (chart: {path.parent / 'report.png'}).")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="start the action server and the Rasa server")
    run.add_argument("--model", type=Path, default=MODEL)
    run.add_argument("--port", type=int, default=5005)
    run.add_argument("--actions-port", type=int, default=5055)
    run.add_argument("--widget-port", type=int, default=8080, help="demo page with the widget")
    run.add_argument(
        "--endpoints", type=Path, default=Path("endpoints.yml"), help="endpoints.prod.yml for PostgreSQL and Redis"
    )
    run.add_argument("--interface", default="127.0.0.1")
    run.add_argument("--logs", type=Path, default=Path("logs"))
    run.set_defaults(handler=serve)
    clean = commands.add_parser("prune", help="delete conversations older than the retention period")
    clean.add_argument("--days", type=int, help="default: retention_days in clinic.yml")
    clean.add_argument("--endpoints", type=Path, default=Path("endpoints.yml"))
    clean.set_defaults(handler=prune_conversations)
    tally = commands.add_parser("report", help="what patients asked over the last days")
    tally.add_argument("--days", type=int, default=30)
    tally.add_argument("--endpoints", type=Path, default=Path("endpoints.yml"))
    tally.add_argument("--out", type=Path, default=Path("results"))
    tally.set_defaults(handler=report)
    args = parser.parse_args()
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
