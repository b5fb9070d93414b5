"""Every project path written in a tracked file (a comment, a docstring, a header of a test set)
names a file or folder that exists, so that a reference does not outlive a move."""

import re
import subprocess

from bot import PROJECT_ROOT

# A path under one of the project's own folders, as written in prose or code.
_PATH = re.compile(r"\b(?:bot|tests|data|actions|deploy)/[\w./-]*\w")
# Generated or vendored files whose own text names paths of other projects.
_SKIP = re.compile(r"^(results/|package-lock\.json|bot/channels/widget/vendor/)")


def tracked_text_files():
    names = subprocess.run(["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    for name in names.stdout.split():
        path = PROJECT_ROOT / name
        if _SKIP.match(name) or not path.is_file():
            continue
        try:
            yield name, path.read_text("utf-8")
        except UnicodeDecodeError:
            continue


def exists(path: str) -> bool:
    """On disk, as a glob, or ignored by git (made by the set-up, such as the vendored client)."""
    if "*" in path:
        return any(PROJECT_ROOT.glob(path))
    if (PROJECT_ROOT / path).exists():
        return True
    return subprocess.run(["git", "check-ignore", "-q", path], cwd=PROJECT_ROOT).returncode == 0


def test_every_project_path_written_in_a_tracked_file_exists():
    missing = [
        f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0)}"
        for name, text in tracked_text_files()
        for match in _PATH.finditer(text)
        if not exists(match.group(0))
    ]
    assert missing == []
