"""Runs the project's own command (`python -m bot ...`) as an operator would."""

import subprocess
import sys

from bot import PROJECT_ROOT
from bot.ops.servers import child_env


def run_bot(*arguments: str) -> subprocess.CompletedProcess:
    """`python -m bot <arguments>` in the project; the completed process, output as text."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *arguments],
        cwd=PROJECT_ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
