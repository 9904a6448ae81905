"""docker-compose.yml is consistent: services, ports, health checks and start order.

A unit test (no Docker): it reads the file with PyYAML, as Compose would before interpolation,
with the YAML anchors of the shared `x-app` parts resolved.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"

#: The app services, their HTTP ports (host = container) and their databases.
APP_PORTS = {
    "relief": 8101,
    "funds": 8102,
    "supervision": 8103,
    "party": 8104,
    "projection": 8100,
}
INFRA_PORTS = {"kafka": 9092, "postgres": 5432}
#: The county's dashboard: the projection's image, database and command, for the county.
COUNTY = "projection-county"
#: The `cluster` profile's other Kafka nodes (node 1 is `kafka`) and their host ports.
CLUSTER_BROKERS = {"kafka-2": 29094, "kafka-3": 29096}
CLUSTER_ENV = ROOT / "deploy" / "compose" / "cluster.env"
DATABASES = {"lianxin", *APP_PORTS}
#: The PostgreSQL password: a required variable (`:?`, no default), from the environment or
#: the git-ignored .env that deploy/compose/secrets.sh writes; never a literal in the file.
PG_PASSWORD = "${LIANXIN_PG_PASSWORD:?run deploy/compose/secrets.sh once, see README}"
DATABASE_URL = re.compile(
    r"postgresql\+asyncpg://(?P<user>[^:@/]+):(?P<password>\$\{[^}]*\}|[^@]*)@postgres:5432/(?P<db>\w+)"
)


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(document, dict), "docker-compose.yml is not a mapping"
    found = document.get("services")
    assert isinstance(found, dict), "docker-compose.yml has no services mapping"
    return found


def published_ports(service: dict[str, Any]) -> set[tuple[int, int]]:
    """(host, container) pairs of a service's short-syntax `ports` entries."""
    pairs = set()
    for entry in service.get("ports", []):
        host, _, container = str(entry).rpartition(":")
        pairs.add((int(host.rpartition(":")[2]), int(container.split("/")[0])))
    return pairs


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):  # the KEY=value list form
        env = dict(item.split("=", 1) for item in env)
    return {str(key): str(value) for key, value in env.items()}


def interpolated(value: str, variables: dict[str, str] | None = None) -> str:
    """`value` as Compose reads it: `${NAME:-default}` is NAME's value, else the default."""

    def one(match: re.Match[str]) -> str:
        return (variables or {}).get(match["name"]) or match["default"]

    return re.sub(r"\$\{(?P<name>\w+):-(?P<default>[^}]*)\}", one, value)


def cluster_variables() -> dict[str, str]:
    lines = CLUSTER_ENV.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def healthcheck_command(service: dict[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else str(test)


def test_every_service_is_there(services: dict[str, Any]) -> None:
    assert set(services) == set(INFRA_PORTS) | set(APP_PORTS) | {
        "prometheus",
        COUNTY,
        *CLUSTER_BROKERS,
    }


def test_the_county_dashboard_is_the_projection_for_the_county(
    services: dict[str, Any],
) -> None:
    county = services[COUNTY]
    env = {k: interpolated(v) for k, v in environment(county).items()}
    assert county["command"] == ["python", "-m", "projection.main"]
    assert env["LIANXIN_PROJECTION_AREA"] == "430321"
    assert env["LIANXIN_DB_SCHEMA"] == "county"
    url = DATABASE_URL.fullmatch(env["DATABASE_URL"])
    assert url and url["db"] == "projection"
    assert env["PORT"] == "8105" and "8105:8105" in county["ports"]
    assert "http://localhost:8105/health/ready" in healthcheck_command(county)
    for infra in INFRA_PORTS:
        assert county["depends_on"][infra]["condition"] == "service_healthy"


def test_prometheus_is_optional_and_scrapes_every_service(services: dict[str, Any]) -> None:
    prometheus = services["prometheus"]
    assert prometheus["profiles"] == ["monitoring"]  # `docker compose up` alone leaves it out
    assert (9090, 9090) in published_ports(prometheus)
    (config,) = [v for v in prometheus["volumes"] if "prometheus.yml" in str(v)]
    scrape = yaml.safe_load((ROOT / str(config).split(":")[0]).read_text(encoding="utf-8"))
    targets = {
        target
        for job in scrape["scrape_configs"]
        if job["metrics_path"] == "/metrics"
        for group in job["static_configs"]
        for target in group["targets"]
    }
    assert targets == {f"{name}:{port}" for name, port in APP_PORTS.items()}
    urls = environment(services["projection"])
    for name in ("relief", "funds", "supervision", "party"):
        assert urls[f"LIANXIN_{name.upper()}_URL"] == f"http://{name}:{APP_PORTS[name]}"


@pytest.mark.parametrize("name", [*INFRA_PORTS, *APP_PORTS])
def test_service_publishes_its_port(services: dict[str, Any], name: str) -> None:
    port = {**INFRA_PORTS, **APP_PORTS}[name]
    assert (port, port) in published_ports(services[name])


@pytest.mark.parametrize("name", [*INFRA_PORTS, *APP_PORTS])
def test_service_has_a_healthcheck(services: dict[str, Any], name: str) -> None:
    check = services[name].get("healthcheck")
    assert isinstance(check, dict), f"{name} has no healthcheck"
    assert check.get("test"), f"{name}'s healthcheck has no test"
    assert check["test"] != ["NONE"] and not check.get("disable", False)


def test_infrastructure_images_and_checks(services: dict[str, Any]) -> None:
    kafka, postgres = services["kafka"], services["postgres"]
    assert kafka["image"] == "apache/kafka:4.1.1"
    assert postgres["image"] == "postgres:15"
    assert (
        "/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092"
        in healthcheck_command(kafka)
    )
    assert "pg_isready" in healthcheck_command(postgres)


def test_kafka_is_a_single_kraft_node(services: dict[str, Any]) -> None:
    env = {k: interpolated(v) for k, v in environment(services["kafka"]).items()}
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "1@kafka:9093"
    assert "kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    for key in (
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
    ):
        assert env[key] == "1", key
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def test_the_cluster_profile_is_three_kraft_nodes_replicating_three_times(
    services: dict[str, Any],
) -> None:
    variables = cluster_variables()
    assert variables["COMPOSE_PROFILES"] == "cluster"
    voters = "1@kafka:9093,2@kafka-2:9093,3@kafka-3:9093"
    nodes = {"kafka": services["kafka"], **{n: services[n] for n in CLUSTER_BROKERS}}
    for node_id, (name, service) in enumerate(nodes.items(), start=1):
        env = {k: interpolated(v, variables) for k, v in environment(service).items()}
        assert env["KAFKA_NODE_ID"] == str(node_id), name
        assert env["KAFKA_PROCESS_ROLES"] == "broker,controller", name
        assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == voters, name
        assert env["CLUSTER_ID"] == environment(services["kafka"])["CLUSTER_ID"], name
        assert f"PLAINTEXT://{name}:9092" in env["KAFKA_ADVERTISED_LISTENERS"], name
        for key in (
            "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
            "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
            "KAFKA_DEFAULT_REPLICATION_FACTOR",
        ):
            assert env[key] == "3", (name, key)
        assert env["KAFKA_MIN_INSYNC_REPLICAS"] == "2", name
        assert env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"] == "2", name
        assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false", name
    for name, port in CLUSTER_BROKERS.items():
        service = services[name]
        assert service["profiles"] == ["cluster"]  # `docker compose up` alone leaves them out
        assert service["image"] == services["kafka"]["image"]
        assert published_ports(service) == {(port, port)}
        assert f"HOST://localhost:{port}" in environment(service)["KAFKA_ADVERTISED_LISTENERS"]
        assert service.get("restart") and service.get("healthcheck")
        assert [str(v).split(":")[0] for v in service["volumes"]] == [f"{name}-data"]
    for name in APP_PORTS:
        service = services[name]
        env = {k: interpolated(v, variables) for k, v in environment(service).items()}
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092,kafka-2:9092,kafka-3:9092", name
        assert (env["LIANXIN_TOPIC_REPLICATION"], env["LIANXIN_TOPIC_MIN_INSYNC"]) == ("3", "2")
        for broker in CLUSTER_BROKERS:  # waited for when there, ignored without the profile
            assert service["depends_on"][broker] == {
                "condition": "service_healthy",
                "required": False,
            }, name


def test_postgres_creates_the_databases(services: dict[str, Any]) -> None:
    mounts = [str(volume) for volume in services["postgres"].get("volumes", [])]
    init = [m for m in mounts if "/docker-entrypoint-initdb.d/" in m]
    assert init, "postgres mounts no init script"
    script = ROOT / init[0].split(":", 1)[0].removeprefix("./")
    sql = script.read_text(encoding="utf-8")
    for db in DATABASES:
        assert f"'{db}'" in sql, f"{script.name} does not create {db}"


@pytest.mark.parametrize("name", APP_PORTS)
def test_app_service_starts_after_healthy_infrastructure(
    services: dict[str, Any], name: str
) -> None:
    depends_on = services[name].get("depends_on")
    assert isinstance(depends_on, dict), f"{name}: depends_on must use the long form"
    for infra in INFRA_PORTS:
        assert depends_on.get(infra, {}).get("condition") == "service_healthy", (name, infra)


@pytest.mark.parametrize("name", APP_PORTS)
def test_app_service_configuration(services: dict[str, Any], name: str) -> None:
    service = services[name]
    port = APP_PORTS[name]
    assert service["build"]["dockerfile"] == "Dockerfile"
    assert service["command"] == ["python", "-m", f"{name}.main"]
    env = {k: interpolated(v) for k, v in environment(service).items()}
    assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert env["LIANXIN_TOPIC_REPLICATION"] == "1"
    url = DATABASE_URL.fullmatch(env["DATABASE_URL"])
    assert url, f"{name}: DATABASE_URL is not postgresql+asyncpg://lianxin:<password>@postgres:5432"
    assert (url["user"], url["password"], url["db"]) == ("lianxin", PG_PASSWORD, name)
    assert env["PORT"] == str(port)
    assert f"http://localhost:{port}/health/ready" in healthcheck_command(service)


def test_no_password_is_written_in_the_compose_file(services: dict[str, Any]) -> None:
    """Every password (POSTGRES_PASSWORD, each DATABASE_URL's) is the one required variable."""
    found = 0
    for name, service in services.items():
        for key, value in environment(service).items():
            if key.endswith("PASSWORD_FILE"):  # a Docker secret would do as well
                assert value.startswith("/run/secrets/"), f"{name}: {key} is not a secret"
                found += 1
            elif "PASSWORD" in key:
                assert value == PG_PASSWORD, f"{name}: {key} is not {PG_PASSWORD}"
                found += 1
            if "://" in value and "@" in value:  # a URL with credentials
                url = DATABASE_URL.fullmatch(value)
                assert url and url["password"] == PG_PASSWORD, f"{name}: {key} holds a password"
                found += 1
    assert found == 1 + len(APP_PORTS) + 1  # postgres, the apps, the county's dashboard
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    assert "lianxin:lianxin@" not in text
    assert not re.search(r"(?m)^\s*[A-Z_]*PASSWORD:[ \t]*+(?!\$\{)", text), "a literal password"


def test_the_compose_secrets_are_made_once_and_never_committed(tmp_path: Path) -> None:
    script = ROOT / "deploy" / "compose" / "secrets.sh"
    env_file = tmp_path / ".env"
    env_file.write_text("OTHER=1\n", encoding="utf-8")
    made = ("LIANXIN_PG_PASSWORD", "LIANXIN_PERSONAL_SECRET")
    clean = {k: v for k, v in os.environ.items() if k not in made}

    def run() -> str:
        subprocess.run([str(script), str(env_file)], env=clean, check=True, capture_output=True)
        return env_file.read_text(encoding="utf-8")

    first = run()
    (password,) = re.findall(r"(?m)^LIANXIN_PG_PASSWORD=(.*)$", first)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", password)  # URL-safe: it goes into DATABASE_URL
    (personal,) = re.findall(r"(?m)^LIANXIN_PERSONAL_SECRET=(.*)$", first)
    assert re.fullmatch(r"[0-9a-f]{64}", personal) and personal != password
    assert first.startswith("OTHER=1\n")
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert run() == first  # kept: the database volume was made with it
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".env" in ignored


def test_dockerfile_builds_with_the_pinned_uv() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11-slim" in dockerfile
    assert "uv==0.13.8" in dockerfile
    assert "uv sync --frozen --no-dev" in dockerfile
