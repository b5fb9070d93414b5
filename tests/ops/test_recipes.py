"""The deployment recipes against what the tests run, so that they cannot drift apart.

There is no Docker engine on the build machines, so docker-compose.yml, the Dockerfile and
deploy/nginx.conf are checked here for all that can be checked without one: the image is built
from the pinned requirements and the project's own files, each server is started as `make run`
starts it, every file a recipe names exists, nginx accepts its configuration (`nginx -t`), and the
README's deployment paths are where the recipe serves them. Fast and offline.
"""

import datetime
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Dict, List, Optional

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot import PROJECT_ROOT
from bot.channels.widget_server import make_server
from bot.ops.http_client import get
from bot.ops.servers import SERVER_ENV, free_port

COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text("utf-8"))
SERVICES = COMPOSE["services"]
PROJECT_SERVERS = ("rasa", "actions", "widget")
DOCKERFILE = re.sub(r"\\\n", " ", (PROJECT_ROOT / "Dockerfile").read_text("utf-8"))
NGINX_CONF = (PROJECT_ROOT / "deploy" / "nginx.conf").read_text("utf-8")
MAKEFILE = (PROJECT_ROOT / "Makefile").read_text("utf-8")
README = (PROJECT_ROOT / "README.md").read_text("utf-8")
NGINX = Path("/usr/sbin/nginx")


def makefile_variable(name: str) -> str:
    return re.search(rf"^{name} :?= (.+)$", MAKEFILE, re.M).group(1).strip()


def instructions(keyword: str) -> List[List[str]]:
    """The arguments of each `keyword` instruction of the Dockerfile."""
    return [line.split()[1:] for line in DOCKERFILE.splitlines() if line.split()[:1] == [keyword]]


def image_env() -> Dict[str, str]:
    return dict(pair.split("=", 1) for args in instructions("ENV") for pair in args)


def options(arguments: List[str]) -> Dict[str, str]:
    """`--name value` pairs of a command line's tail."""
    return dict(zip(arguments[::2], arguments[1::2], strict=False))


def service_port(name: str) -> int:
    """The port a project server listens on, from its command in docker-compose.yml."""
    command = SERVICES[name]["command"]
    return int(options(command[2:] if command[0] == "rasa" else command[3:])["--port"])


def bind_mounts(service: str) -> Dict[str, str]:
    """The host paths a service mounts, with where they appear in its container."""
    mounts = (volume.split(":") for volume in SERVICES[service].get("volumes", []))
    return {source: target for source, target, *_ in mounts if source.startswith((".", "/"))}


def nginx_locations() -> List[Dict[str, str]]:
    """Each location block of nginx.conf: its modifier ('', '=' or '~'), path and body."""
    return [
        {"modifier": modifier, "path": path, "body": body}
        for modifier, path, body in re.findall(r"location\s+(?:([=~])\s+)?(\S+)\s*\{(.*?)\}", NGINX_CONF, re.S)
    ]


def nginx_route(path: str) -> Optional[str]:
    """Where nginx sends a request for `path` (the upstream of its proxy_pass, None for none),
    choosing the location as nginx does: exact match, then the first regex, then the longest prefix."""
    locations = nginx_locations()
    chosen = (
        next((loc for loc in locations if loc["modifier"] == "=" and loc["path"] == path), None)
        or next((loc for loc in locations if loc["modifier"] == "~" and re.search(loc["path"], path)), None)
        or max(
            (loc for loc in locations if not loc["modifier"] and path.startswith(loc["path"])),
            key=lambda loc: len(loc["path"]),
            default=None,
        )
    )
    target = chosen and re.search(r"proxy_pass\s+http://(\w+)", chosen["body"])
    return target.group(1) if target else None


def upstreams() -> Dict[str, str]:
    """Each upstream of nginx.conf with its server (host:port)."""
    return dict(re.findall(r"upstream\s+(\w+)\s*\{[^}]*?server\s+(\S+);", NGINX_CONF))


def readme_section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_project_servers_run_one_image_built_by_the_dockerfile():
    for name in PROJECT_SERVERS:
        assert SERVICES[name]["build"] == "." and SERVICES[name]["image"] == SERVICES["rasa"]["image"], name
    for name in set(SERVICES) - set(PROJECT_SERVERS):
        assert "build" not in SERVICES[name] and ":" in SERVICES[name]["image"], f"{name}: a tagged upstream image"


def test_the_image_installs_the_pinned_requirements_and_nothing_else():
    """One pip install, of requirements.txt (the versions every test runs on), on the Python the
    virtual environment runs; no version pinned a second time in the Dockerfile."""
    python = next(args[0] for args in instructions("FROM") if args[0].startswith("python:"))
    assert python.startswith(f"python:{sys.version_info.major}.{sys.version_info.minor}")
    installs = [" ".join(args) for args in instructions("RUN") if "pip" in args]
    assert installs == ["pip install --no-cache-dir -r requirements.txt"]
    assert not [args for args in instructions("RUN") if "==" in " ".join(args)]


def test_the_image_copies_files_of_the_repository_that_the_build_context_lets_through():
    """Every COPY source exists (the model once `make train` has built it) and is let through by
    .dockerignore, which keeps .venv, node_modules and the rest out of the build context."""
    allowed = {
        line[1:].rstrip("/")
        for line in (PROJECT_ROOT / ".dockerignore").read_text("utf-8").splitlines()
        if line.startswith("!")
    }
    model = makefile_variable("MODEL")
    for args in instructions("COPY"):
        if args[0].startswith("--from="):
            continue
        for source in args[:-1]:
            assert source == model or (PROJECT_ROOT / source).exists(), source
            assert source.rstrip("/") in allowed, f"{source} is kept out of the build context by .dockerignore"


def test_the_image_has_the_environment_make_run_gives_the_servers():
    env = image_env()
    assert SERVER_ENV.items() <= env.items()
    assert env["PYTHONPATH"] == instructions("WORKDIR")[-1][0]


def test_rasa_starts_as_make_run_starts_it_with_the_screened_channels():
    """`rasa run` with bot/ops/servers.py's arguments, the model `make train` builds, the production
    endpoints with all their variables set, and credentials.yml's channels, all of them screened.
    No --cors: browsers reach only the socket.io channel, from clinic.yml's website_origins."""
    rasa = SERVICES["rasa"]
    command, env = rasa["command"], rasa["environment"]
    assert command[:2] == ["rasa", "run"]
    arguments = options(command[2:])
    assert set(arguments) == {"--model", "--port", "--interface", "--endpoints", "--credentials"}
    assert arguments["--model"] == makefile_variable("MODEL")
    assert arguments["--endpoints"] == "endpoints.prod.yml"
    endpoints = (PROJECT_ROOT / arguments["--endpoints"]).read_text("utf-8")
    assert set(re.findall(r"\$\{(\w+)\}", endpoints)) <= set(env)
    assert env["ACTION_SERVER_URL"] == f"http://actions:{service_port('actions')}/webhook"
    channels = yaml.safe_load((PROJECT_ROOT / arguments["--credentials"]).read_text("utf-8"))
    assert "bot.channels.web.ScreenedSocketIOInput" in channels
    assert all(re.fullmatch(r"bot\.channels\.(web|messaging)\.Screened\w+Input", name) for name in channels)


def test_the_action_server_and_the_widget_server_start_as_make_run_starts_them():
    actions, widget = SERVICES["actions"], SERVICES["widget"]
    assert actions["command"][:5] == ["python", "-m", "rasa_sdk", "--actions", "actions"]
    assert actions["environment"]["SANIC_HOST"] == "0.0.0.0"
    assert widget["command"][:3] == ["python", "-m", "bot.channels.widget_server"]
    assert options(widget["command"][3:])["--interface"] == "0.0.0.0"


def test_website_origins_come_from_clinic_yml_only():
    recipes = [COMPOSE, DOCKERFILE, NGINX_CONF, (PROJECT_ROOT / "endpoints.prod.yml").read_text("utf-8"), README]
    assert not [recipe for recipe in recipes if "WEBSITE_ORIGIN" in str(recipe)]
    assert not [name for name in PROJECT_SERVERS if "--cors" in SERVICES[name]["command"]]


def test_every_mounted_path_exists_and_every_named_volume_is_declared():
    for name, service in SERVICES.items():
        assert all((PROJECT_ROOT / source).exists() for source in bind_mounts(name)), name
        named = [volume.split(":")[0] for volume in service.get("volumes", []) if not volume.startswith((".", "/"))]
        assert set(named) <= set(COMPOSE.get("volumes") or {}), name


def test_nginx_proxies_to_the_compose_servers_on_their_ports():
    assert upstreams()
    for upstream, server in upstreams().items():
        host, port = server.split(":")
        assert host in PROJECT_SERVERS and int(port) == service_port(host), upstream


def test_nginx_ends_tls_on_the_published_port_with_the_mounted_certificate():
    published = {int(port.split(":")[-1]) for port in SERVICES["proxy"]["ports"]}
    assert published == {int(port) for port in re.findall(r"listen\s+(\d+)", NGINX_CONF)}
    assert re.search(r"listen\s+443\s+ssl;", NGINX_CONF)
    certificates = re.findall(r"ssl_certificate(?:_key)?\s+(\S+);", NGINX_CONF)
    assert len(certificates) == 2
    assert all(Path(path).parent.as_posix() == bind_mounts("proxy")["./deploy/certs"] for path in certificates)


def write_self_signed_certificate(certificate: Path, key: Path) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bot.clinic.example")])
    now = datetime.datetime.now(datetime.timezone.utc)
    signed = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(private, hashes.SHA256())
    )
    certificate.write_bytes(signed.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


@pytest.mark.skipif(
    not NGINX.exists(),
    reason=f"{NGINX} is missing: Debian's nginx checks deploy/nginx.conf " "(`make system-packages` installs it)",
)
def test_nginx_accepts_the_configuration(tmp_path):
    """`nginx -t` on a copy of deploy/nginx.conf inside an http block, as the nginx image includes
    it, changed only where the compose network is not here: the servers' host names become
    loopback, the published ports free ones, and the certificate a self-signed one."""
    certificates = tmp_path / "certs"
    certificates.mkdir()
    conf = NGINX_CONF.replace(bind_mounts("proxy")["./deploy/certs"], str(certificates))
    conf = re.sub(r"(?m)^(\s*server\s+)[\w.-]+(:\d+;)", r"\g<1>127.0.0.1\2", conf)
    conf = re.sub(r"(?m)^(\s*listen\s+)\d+", lambda m: f"{m.group(1)}127.0.0.1:{free_port()}", conf)
    write_self_signed_certificate(*(Path(path) for path in re.findall(r"ssl_certificate(?:_key)?\s+(\S+);", conf)))
    (tmp_path / "default.conf").write_text(conf, "utf-8")
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {tmp_path}/default.conf;\n}}\n",
        "utf-8",
    )
    checked = subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp_path), "-c", str(main), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert checked.returncode == 0, checked.stderr


def test_the_readme_widget_paths_are_served_by_the_widget_server():
    """The README's /kap-widget/ URLs reach the widget's web server, which has each file, or gets
    it from the Dockerfile (socket.io's client, from npm)."""
    paths = sorted(set(re.findall(r"/kap-widget/([\w.-]+(?:/[\w.-]+)*)", README)))
    assert {"widget.js", "crisis.json"} <= set(paths)
    assert all(nginx_route(f"/kap-widget/{path}") == "widget" for path in paths)
    assert re.search(r"location /kap-widget/ \{\s*proxy_pass http://widget/;", NGINX_CONF), "the prefix is stripped"
    built = {args[-1] + Path(args[-2]).name for args in instructions("COPY") if args[0].startswith("--from=")}
    server = make_server(0, "http://localhost:5005")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        missing = [
            path
            for path in paths
            if f"bot/channels/widget/{path}" not in built
            and get(f"http://127.0.0.1:{server.server_port}/{path}").status != 200
        ]
    finally:
        server.shutdown()
        server.server_close()
    assert not missing


def test_the_readme_public_urls_reach_rasa():
    """The webhook URLs the README gives the messaging platforms, and socket.io's path."""
    paths = set(re.findall(r"<your-domain>(/[\w/.-]*)", README)) | {"/socket.io/", "/webhooks/socketio/origin"}
    assert len(paths) > 2
    assert {path: upstreams()[nginx_route(path)] for path in paths} == dict.fromkeys(paths, "rasa:5005")


def test_the_readme_deployment_section_names_what_the_recipe_has():
    """Each file it names exists, and each URL path it names is a location of nginx.conf."""
    section = readme_section("Running at scale")
    files = [
        token
        for token in re.findall(r"`([\w.-]+(?:/[\w.-]*)*)`", section)
        if "/" in token or token == "Dockerfile" or Path(token).suffix in (".yml", ".conf", ".py", ".txt")
    ]
    assert "docker-compose.yml" in files and "deploy/certs/" in files
    assert not [token for token in files if not (PROJECT_ROOT / token).exists()]
    paths = set(re.findall(r"`(/[^`\s]*)`", section))
    assert paths and paths <= {location["path"] for location in nginx_locations()}
