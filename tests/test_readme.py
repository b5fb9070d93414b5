"""Every file or folder the README names exists (or is one the set-up generates and git ignores),
so that a newcomer following it, above all its path of one message, never looks for a file that
moved."""

import re
import subprocess

from bot import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text("utf-8")
# A relative path in backticks: at least one "/" or a file name with an extension we ship.
_PATH = re.compile(r"`([\w.-]+(?:/[\w.*-]*)+|[\w-]+\.(?:py|yml|yaml|txt|toml|json|js|css|html|conf|md|ini))`")


def named_paths():
    return sorted({path for path in _PATH.findall(README) if not path.startswith(".venv")})


TRACKED = subprocess.run(
    ["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
).stdout.split()
# Files the widget's server makes and serves, not files of the repository.
SERVED = re.findall(r'"/([\w.-]+)"', (PROJECT_ROOT / "bot" / "channels" / "widget_server.py").read_text("utf-8"))


def generated(path: str) -> bool:
    """Ignored by git: made by the set-up or by a command (the model, logs, the clinic's report)."""
    return subprocess.run(["git", "check-ignore", "-q", path], cwd=PROJECT_ROOT).returncode == 0


def exists(path: str) -> bool:
    """A path from the project's root, a glob matching something, or the name of a tracked file
    the text around it places (`topics.yml` next to `data/knowledge/`) or a file the widget's
    server serves."""
    if "*" in path:
        return any(PROJECT_ROOT.glob(path))
    if "/" not in path:
        return any(name.rsplit("/", 1)[-1] == path for name in TRACKED) or path in SERVED
    return (PROJECT_ROOT / path).exists() or generated(path)


def test_the_readme_names_paths():
    assert len(named_paths()) > 60


def test_every_path_the_readme_names_exists():
    missing = [path for path in named_paths() if not exists(path)]
    assert missing == []
