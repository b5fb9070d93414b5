"""Where Rasa is told to call the action server: the one `make run` starts, unless the
environment names another (ACTION_SERVER_URL, as in the Docker recipe)."""

from pathlib import Path

import yaml

from bot.ops.servers import BotServers


def generated_action_url(tmp_path, **options):
    servers = BotServers(Path("models/kap.tar.gz"), 5005, 5055, tmp_path, **options)
    return yaml.safe_load(servers._endpoints_for_this_run().read_text("utf-8"))["action_endpoint"]["url"]


def test_rasa_calls_the_action_server_it_starts(tmp_path):
    assert generated_action_url(tmp_path) == "http://127.0.0.1:5055/webhook"


def test_an_action_server_url_given_is_the_one_rasa_calls(tmp_path):
    url = "http://actions:5055/webhook"
    assert generated_action_url(tmp_path, action_server_url=url) == url
