"""Two Rasa servers and one action server on PostgreSQL and Redis (endpoints.prod.yml).

The turns of each conversation alternate between the servers, several clients at once; every
conversation must be complete and in order in PostgreSQL, and follow-ups must work whichever
server takes the turn.
"""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
import redis

from bot import PROJECT_ROOT
from bot.ops.servers import BotServers, free_port
from tests.support import services
from tests.support.rest_turns import say, texts

TURNS = [
    ("how effective is ketamine therapy", "very effective"),
    ("where is that from?", '"several studies"'),
    ("does KAP help with trauma or ptsd", "reworking of trauma"),
    ("can you quote that", "Reworking of trauma and placing them"),
    ("thanks!", "welcome"),
]
CLIENTS = 6


@pytest.fixture(scope="module")
def cluster(model, tmp_path_factory):
    reason = services.available()
    if reason:
        pytest.skip(reason)
    workdir = tmp_path_factory.mktemp("scale")
    with services.postgres() as pg_port, services.redis_server(workdir) as redis_port:
        env = {
            "DB_HOST": "127.0.0.1",
            "DB_PORT": str(pg_port),
            "DB_NAME": "rasa",
            "DB_USER": "postgres",
            "DB_PASSWORD": "",
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(redis_port),
            "REDIS_PASSWORD": "",
        }
        prod = PROJECT_ROOT / "endpoints.prod.yml"
        first = BotServers(model, free_port(), free_port(), workdir / "a", endpoints=prod, env=env)
        second = BotServers(model, free_port(), first.actions_port, workdir / "b", endpoints=prod, env=env)
        with first:
            second.start_rasa()
            try:
                yield first, second, pg_port, redis_port
            finally:
                second.stop()


def stored_user_messages(pg_port, sender):
    with psycopg2.connect(host="127.0.0.1", port=pg_port, user="postgres", dbname="rasa") as db:
        cursor = db.cursor()
        cursor.execute("SELECT data FROM events WHERE sender_id = %s AND type_name = 'user' ORDER BY id", (sender,))
        return [json.loads(data)["text"] for (data,) in cursor.fetchall()]


def test_conversations_alternating_between_two_servers_are_complete_and_in_order(cluster):
    first, second, pg_port, redis_port = cluster
    senders = [f"scale-{i}-{uuid.uuid4().hex[:6]}" for i in range(CLIENTS)]

    def converse(index_sender):
        index, sender = index_sender
        wrong = []
        for turn, (message, expected) in enumerate(TURNS):
            server = (first, second)[(index + turn) % 2]
            reply = " ".join(texts(say(server, sender, message)))
            if expected not in reply:
                wrong.append((server.url, message, reply[:120]))
        return wrong

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        problems = [p for result in pool.map(converse, enumerate(senders)) for p in result]
    assert not problems
    for sender in senders:
        assert stored_user_messages(pg_port, sender) == [message for message, _ in TURNS]
    # Every turn took and released its conversation's lock in Redis.
    commands = redis.Redis(host="127.0.0.1", port=redis_port).info("commandstats")
    assert commands.get("cmdstat_set", {}).get("calls", 0) >= CLIENTS * len(TURNS)
