"""Starts the action server and the Rasa server as child processes, and stops them again.

Used by `make run` (python -m bot serve) and by the end-to-end tests, which start the real
servers on free loopback ports. The Rasa server is pointed at the action server through a
generated copy of endpoints.yml carrying the chosen port (or the action server URL it is given).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Dict, List, Optional, Sequence

import yaml

from bot import PROJECT_ROOT
from bot.content.clinic import CLINIC_FILE, Clinic, load_clinic
from bot.ops.http_client import get

# The trained model `make train` builds, and the rasa command of this Python environment.
MODEL = PROJECT_ROOT / "models" / "kap.tar.gz"
RASA = str(Path(sys.executable).parent / "rasa")


class ServerError(RuntimeError):
    """A server did not come up in time, or stopped while starting."""


# What every server process gets, here and in the Docker image (the Dockerfile's ENV, checked by
# tests/ops/test_recipes.py): quiet TensorFlow, no telemetry, and SANIC_REQUEST_MAX_SIZE: Sanic refuses
# bodies over 1 MB before reading them (the REST channel's own limit, 200 kB, is checked after).
SERVER_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false", "SANIC_REQUEST_MAX_SIZE": "1000000"}


def child_env() -> Dict[str, str]:
    """The environment for Rasa processes: the project importable, and SERVER_ENV."""
    return dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), **SERVER_ENV)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
    """Polls `url` until it answers 200; fails early if the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"server exited with code {process.returncode}; see {log}")
        try:
            if get(url, timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise ServerError(f"{url} did not answer within {timeout:.0f}s; see {log}")


class BotServers:
    """The action server and the Rasa server (REST channel), run together.

    Use as a context manager; both processes are stopped on exit, whatever happened.
    """

    def __init__(
        self,
        model: Path,
        rasa_port: int,
        actions_port: int,
        log_dir: Path,
        interface: str = "127.0.0.1",
        endpoints: Path = PROJECT_ROOT / "endpoints.yml",
        credentials: Path = PROJECT_ROOT / "credentials.yml",
        startup_timeout: float = 180.0,
        tracker_db: Optional[Path] = None,
        extra_args: Sequence[str] = (),
        env: Optional[Dict[str, str]] = None,
        callback_url: Optional[str] = None,
        widget_port: Optional[int] = None,
        project: Path = PROJECT_ROOT,
        action_server_url: Optional[str] = None,
    ) -> None:
        self.model = Path(model)
        self.rasa_port = rasa_port
        self.actions_port = actions_port
        self.log_dir = Path(log_dir)
        self.interface = interface
        self.endpoints = Path(endpoints)
        self.credentials = Path(credentials)
        self.startup_timeout = startup_timeout
        self.tracker_db = tracker_db
        self.extra_args = list(extra_args)
        self.env = {**child_env(), **(env or {})}
        self.callback_url = callback_url
        self.widget_port = widget_port
        self.project = Path(project)
        # The URL Rasa calls for actions: the action server started here unless one is given.
        self.action_server_url = action_server_url or f"{self.actions_url}/webhook"
        self.widget: Optional[subprocess.Popen] = None
        self.actions: Optional[subprocess.Popen] = None
        self.rasa: Optional[subprocess.Popen] = None
        self._logs: List[IO[bytes]] = []

    @property
    def url(self) -> str:
        return f"http://{self.interface}:{self.rasa_port}"

    @property
    def widget_url(self) -> str:
        return f"http://{self.interface}:{self.widget_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.interface}:{self.actions_port}"

    def _spawn(self, name: str, command: List[str], env: Optional[Dict[str, str]] = None) -> subprocess.Popen:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "ab")
        self._logs.append(log)
        return subprocess.Popen(
            command, cwd=self.project, stdout=log, stderr=subprocess.STDOUT, env={**self.env, **(env or {})}
        )

    def _endpoints_for_this_run(self) -> Path:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        endpoints = yaml.safe_load(self.endpoints.read_text("utf-8")) or {}
        endpoints.setdefault("action_endpoint", {})["url"] = self.action_server_url
        if self.tracker_db is not None:
            # The configured kind of SQL store (and its own settings), on a SQLite file.
            configured = endpoints.get("tracker_store") or {}
            endpoints["tracker_store"] = {
                "type": configured.get("type", "SQL"),
                "dialect": "sqlite",
                "db": str(self.tracker_db),
                **{key: configured[key] for key in ("max_session_events",) if key in configured},
            }
        path = self.log_dir / "endpoints.generated.yml"
        path.write_text(yaml.safe_dump(endpoints), "utf-8")
        return path

    def _credentials_for_this_run(self) -> Path:
        credentials = yaml.safe_load(self.credentials.read_text("utf-8")) or {}
        if self.callback_url is not None:
            for name in credentials:
                if name == "callback" or name.endswith("CallbackInput"):
                    credentials[name] = {"url": self.callback_url}
        path = self.log_dir / "credentials.generated.yml"
        path.write_text(yaml.safe_dump(credentials), "utf-8")
        return path

    def start_actions(self) -> None:
        """The action server, on the same interface as Rasa (loopback unless told otherwise):
        rasa_sdk listens on SANIC_HOST, which it otherwise takes to be 0.0.0.0."""
        self.actions = self._spawn(
            "actions",
            [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.actions_port)],
            {"SANIC_HOST": self.interface},
        )
        wait_until_up(f"{self.actions_url}/health", self.actions, self.startup_timeout, self.log_dir / "actions.log")

    def start_rasa(self) -> None:
        self.rasa = self._spawn(
            "rasa",
            [
                RASA,
                "run",
                "--model",
                str(self.model),
                "--port",
                str(self.rasa_port),
                "--interface",
                self.interface,
                "--endpoints",
                str(self._endpoints_for_this_run()),
                "--credentials",
                str(self._credentials_for_this_run()),
                *self.extra_args,
            ],
        )
        wait_until_up(f"{self.url}/", self.rasa, self.startup_timeout, self.log_dir / "rasa.log")

    def start_widget(self) -> None:
        """The widget and its demo page (only when a widget port was given)."""
        if self.widget_port is None:
            return
        self.widget = self._spawn(
            "widget",
            [
                sys.executable,
                "-m",
                "bot.channels.widget_server",
                "--port",
                str(self.widget_port),
                "--interface",
                self.interface,
                "--rasa-url",
                self.url,
            ],
        )
        wait_until_up(f"{self.widget_url}/widget.js", self.widget, self.startup_timeout, self.log_dir / "widget.log")

    def clinic(self) -> Clinic:
        """The clinic settings the servers run with (KAP_CLINIC_FILE, if given, else clinic.yml)."""
        return load_clinic(Path(self.env.get("KAP_CLINIC_FILE", CLINIC_FILE)))

    @staticmethod
    def _stop(process: Optional[subprocess.Popen]) -> None:
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop_actions(self) -> None:
        self._stop(self.actions)

    def stop_rasa(self) -> None:
        self._stop(self.rasa)

    def stop(self) -> None:
        self._stop(self.widget)
        self._stop(self.rasa)
        self._stop(self.actions)
        for log in self._logs:
            log.close()
        self._logs.clear()

    def __enter__(self) -> "BotServers":
        try:
            self.start_actions()
            self.start_rasa()
            self.start_widget()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
