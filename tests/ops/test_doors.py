"""Locked doors: every port on loopback, no HTTP API by default, browsers only on the socket.io
channel and only from the clinic's sites, no secrets, quiet logs."""

import ipaddress
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import yaml

from bot import PROJECT_ROOT
from bot.content.clinic import load_clinic
from bot.ops.http_client import get
from bot.ops.servers import child_env, free_port
from tests.support.rest_turns import say

SECRET_KEYS = re.compile(r"(token|secret|password|api_key|access_key|auth)", re.IGNORECASE)


def test_the_http_api_is_off_by_default(servers):
    assert get(f"{servers.url}/status")[0] == 404
    assert get(f"{servers.url}/conversations/someone/tracker")[0] == 404


def test_browsers_may_reach_only_the_socketio_channel_and_only_from_the_clinics_websites(servers):
    allowed = load_clinic().website_origins[0]
    polling = f"{servers.url}/socket.io/?EIO=4&transport=polling"
    status, headers, _ = get(polling, {"Origin": allowed})
    # Exactly one header: a repeated one makes browsers refuse long-polling.
    assert status == 200 and headers.get_all("Access-Control-Allow-Origin") == [allowed]
    assert get(polling, {"Origin": "https://evil.example"})[0] == 400
    for origin in (allowed, "https://evil.example"):
        assert "Access-Control-Allow-Origin" not in get(f"{servers.url}/webhooks/rest/", {"Origin": origin}).headers


def test_the_widget_can_ask_whether_its_website_is_accepted(servers):
    allowed = load_clinic().website_origins[0]
    for origin, accepted in ((allowed, True), ("https://evil.example", False)):
        answer = get(f"{servers.url}/webhooks/socketio/origin", {"Origin": origin})
        assert answer.headers["Access-Control-Allow-Origin"] == "*"
        assert json.loads(answer.text) == {"origin": origin, "accepted": accepted}
    # A page on the bot's own site sends no Origin, and engine.io accepts it: so does the answer.
    assert json.loads(get(f"{servers.url}/webhooks/socketio/origin").text) == {"origin": "", "accepted": True}


def test_logs_at_the_default_level_hold_no_message_text(servers):
    marker = f"zebra{uuid.uuid4().hex[:8]}"
    say(servers, "privacy-check", f"does KAP help {marker}")
    for log in ("rasa.log", "actions.log"):
        assert marker not in (servers.log_dir / log).read_text("utf-8", "replace")


def secret_values(node, path=""):
    """(path, value) of every YAML entry whose key names a secret and whose value is literal."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}"
            if SECRET_KEYS.search(str(key)) and isinstance(value, str) and not value.startswith("${"):
                yield where, value
            yield from secret_values(value, where)
    elif isinstance(node, list):
        for item in node:
            yield from secret_values(item, path)


def test_no_secret_is_written_in_the_repository():
    tracked = subprocess.run(
        ["git", "ls-files", "*.yml", "*.yaml"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    found = []
    for name in tracked:
        found += [(name, where) for where, _ in secret_values(yaml.safe_load((PROJECT_ROOT / name).read_text("utf-8")))]
    assert not found


def listening_sockets():
    """{inode: (address, port)} of every listening TCP socket on this machine (IPv4 and IPv6)."""
    found = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] != "0A":  # LISTEN
                continue
            address, port = fields[1].split(":")
            raw = bytes.fromhex(address)
            # /proc lists addresses as 32-bit words in host (little-endian) order.
            words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            found[fields[9]] = (str(ipaddress.ip_address(words)), int(port, 16))
    return found


def process_tree(root):
    """The pid and the pids of all descendants of `root`."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, rest = stat.read_text().split(" ", 1)
        except OSError:
            continue
        children.setdefault(int(rest.rsplit(")", 1)[1].split()[1]), []).append(int(pid))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def socket_inodes(pid):
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def test_every_port_make_run_opens_is_on_loopback(model, tmp_path):
    ports = {"--port": free_port(), "--actions-port": free_port(), "--widget-port": free_port()}
    command = [sys.executable, "-m", "bot", "serve", "--model", str(model), "--logs", str(tmp_path)]
    for flag, port in ports.items():
        command += [flag, str(port)]
    serve = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env={**child_env(), "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, text=True
    )
    try:
        for line in serve.stdout:  # the banner is printed once every server answers
            if "is up" in line:
                break
        assert serve.poll() is None, "python -m bot serve stopped while starting"
        sockets = listening_sockets()
        opened = [sockets[inode] for pid in process_tree(serve.pid) for inode in socket_inodes(pid) if inode in sockets]
        assert {port for _, port in opened} >= set(ports.values())
        assert all(ipaddress.ip_address(address).is_loopback for address, _ in opened), opened
    finally:
        serve.terminate()
        serve.wait(timeout=60)
