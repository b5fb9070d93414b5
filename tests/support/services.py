"""PostgreSQL and Redis servers for the scale-out test, started on free loopback ports.

They come from Debian's packages (postgresql, redis-server; `make test` installs them) and run
from temporary folders, so nothing of the machine's own services is touched.
"""

import glob
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import redis

from bot.ops.servers import free_port


def postgres_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else None


def available():
    """Why the services cannot be had here, or None when they can."""
    if not postgres_bin("initdb") or not shutil.which("redis-server"):
        return "PostgreSQL and Redis are not installed (Debian: postgresql redis-server)"
    if os.geteuid() == 0 and subprocess.run(["id", "postgres"], capture_output=True).returncode:
        return "no 'postgres' user to run PostgreSQL as"
    return None


def as_postgres(command):
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres():
    """A PostgreSQL server with a `rasa` database; yields its port.

    Its folder is made directly in /tmp: PostgreSQL runs as the `postgres` user, which must be
    able to reach it (pytest's own temporary folders are private to root).
    """
    workdir = Path(tempfile.mkdtemp(prefix="kap-pg-"))
    data = workdir / "pgdata"
    data.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        shutil.chown(data, "postgres")
    port = free_port()
    subprocess.run(
        as_postgres([postgres_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={workdir} -c fsync=off"
    subprocess.run(
        as_postgres(
            [postgres_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(workdir / "pg.log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    try:
        connection = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
        connection.autocommit = True
        connection.cursor().execute("CREATE DATABASE rasa")
        connection.close()
        yield port
    finally:
        subprocess.run(
            as_postgres([postgres_bin("pg_ctl"), "-D", str(data), "-m", "fast", "stop"]), capture_output=True
        )
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def redis_server(workdir: Path):
    """A Redis server without persistence; yields its port."""
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
