"""Session-wide fixtures: the trained model (trained at most once) and the running servers.

Every test that needs the trained model (directly or through the servers) or runs the rasa
command is marked `e2e`; `make check` runs the others, the fast tier, in under a minute.
"""

import subprocess

import pytest

from bot import PROJECT_ROOT
from bot.ops.servers import MODEL, RASA, BotServers, child_env, free_port


def pytest_collection_modifyitems(items):
    for item in items:
        if "model" in item.fixturenames or "run_rasa" in item.fixturenames:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def model():
    """The trained model; `make train` retrains only if the training data changed."""
    subprocess.run(["make", "--no-print-directory", "train"], cwd=PROJECT_ROOT, check=True, env=child_env())
    return MODEL


@pytest.fixture(scope="session")
def run_rasa():
    """Runs a rasa CLI command in the project; returns the completed process."""

    def run(*args, timeout=900):
        return subprocess.run(
            [RASA, *args], cwd=PROJECT_ROOT, env=child_env(), timeout=timeout, capture_output=True, text=True
        )

    return run


@pytest.fixture(scope="session")
def servers(model, tmp_path_factory):
    """The real action server and Rasa server on free loopback ports, stopped after the tests."""
    workdir = tmp_path_factory.mktemp("servers")
    with BotServers(model, free_port(), free_port(), workdir, tracker_db=workdir / "conversations.db") as running:
        yield running
