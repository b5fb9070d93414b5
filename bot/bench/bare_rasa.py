"""A bare `rasa init` bot, for `make bench` to measure this bot against plain Rasa in the same run.

It is Rasa's own starter project (scaffolded by Rasa's `create_initial_project`), trained once and
cached under .bench-cache/ (not in git): later benches reuse it. It runs like this bot, with its
action server and a SQLite tracker store, so that the two differ only in what this project adds.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from bot import PROJECT_ROOT
from bot.ops.servers import RASA, BotServers, child_env, free_port

CACHE = PROJECT_ROOT / ".bench-cache" / "rasa-init"
BARE_MODEL = CACHE / "models" / "bare.tar.gz"


def bare_rasa_model() -> Path:
    """The trained `rasa init` model, scaffolded and trained on first use."""
    if BARE_MODEL.exists():
        return BARE_MODEL
    from rasa.cli.scaffold import create_initial_project

    shutil.rmtree(CACHE, ignore_errors=True)
    CACHE.mkdir(parents=True)
    create_initial_project(str(CACHE))
    # Rasa's starter endpoints.yml has the action server commented out; point it at ours.
    endpoints = {"action_endpoint": {"url": "http://localhost:5055/webhook"}}
    (CACHE / "endpoints.yml").write_text(yaml.safe_dump(endpoints), "utf-8")
    subprocess.run(
        [RASA, "train", "--fixed-model-name", BARE_MODEL.name.split(".")[0], "--out", str(BARE_MODEL.parent)],
        cwd=CACHE,
        env=child_env(),
        check=True,
        capture_output=True,
    )
    return BARE_MODEL


def bare_rasa_servers(workdir: Path) -> BotServers:
    """The `rasa init` bot's action server and Rasa server on free loopback ports."""
    return BotServers(
        bare_rasa_model(),
        free_port(),
        free_port(),
        workdir,
        endpoints=CACHE / "endpoints.yml",
        credentials=CACHE / "credentials.yml",
        tracker_db=workdir / "conversations.db",
        project=CACHE,
    )
