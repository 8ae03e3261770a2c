"""The scaled topology on one machine, without Docker: one action server, several Rasa replicas
sharing a PostgreSQL tracker store and a Redis lock store (endpoints-scaled.yml), HAProxy in
front on the usual Rasa port, and the web app. Used by `make run-scaled` and `make test-scale`.

Connection settings come from the environment (ASSISTANT_PG_*, ASSISTANT_REDIS_*), never from
the repository; `make run-scaled` fills in this machine's loopback services.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote

from assistant.settings import PROJECT_ROOT
from assistant.stack import Stack

HAPROXY_CONFIG = PROJECT_ROOT / "deploy" / "haproxy.cfg"
SCALED_ENDPOINTS = PROJECT_ROOT / "endpoints-scaled.yml"
LOCK_STORE = "assistant.lock_store.AtomicRedisLockStore"


def postgres_url(env: dict[str, str], database: str | None = None) -> str:
    user, password = env.get("ASSISTANT_PG_USER", ""), env.get("ASSISTANT_PG_PASSWORD", "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return (f"postgresql://{auth}{env.get('ASSISTANT_PG_HOST', '127.0.0.1')}:"
            f"{env.get('ASSISTANT_PG_PORT', '5432')}/{database or env['ASSISTANT_PG_DB']}")


def redis_url(env: dict[str, str]) -> str:
    """The lock store's Redis as a URL for the `limits` library's storage."""
    password = env.get("ASSISTANT_REDIS_PASSWORD", "")
    auth = f":{quote(password, safe='')}@" if password else ""
    return (f"redis://{auth}{env.get('ASSISTANT_REDIS_HOST', '127.0.0.1')}:"
            f"{env.get('ASSISTANT_REDIS_PORT', '6379')}/{env.get('ASSISTANT_REDIS_DB', '1')}")


def ensure_database(env: dict[str, str]) -> None:
    """Create the tracker-store database if it does not exist yet (Rasa only creates tables)."""
    import sqlalchemy as sa

    engine = sa.create_engine(postgres_url(env, "postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                        {"name": env["ASSISTANT_PG_DB"]}).first()
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{env["ASSISTANT_PG_DB"]}"'))
    finally:
        engine.dispose()


@dataclass
class ScaledStack(Stack):
    replicas: int = 2
    replica_ports: tuple[int, ...] = ()  # default: 100 ports above the front door

    def __post_init__(self) -> None:
        names = tuple(f"rasa{number}" for number in range(1, self.replicas + 1))
        self.services = ("actions", *names, "lb", *(("web",) if "web" in self.services else ()))

    def replica_port(self, name: str) -> int:
        number = int(name.removeprefix("rasa"))
        if self.replica_ports:
            return self.replica_ports[number - 1]
        # Replicas sit 100 ports above the front door, which HAProxy keeps on the usual port.
        return self.settings.rasa_port + 99 + number

    def commands(self) -> dict[str, list[str]]:
        base = super().commands()
        commands = {"actions": base["actions"]}
        for number in range(1, self.replicas + 1):
            commands[f"rasa{number}"] = base["rasa"]
        commands["lb"] = ["haproxy", "-db", "-f", str(HAPROXY_CONFIG)]
        commands["web"] = base["web"]
        return commands

    def health_urls(self) -> dict[str, str]:
        urls = super().health_urls()
        host = self.settings.host
        for name in self.services:
            if name.startswith("rasa"):
                urls[name] = f"http://{host}:{self.replica_port(name)}/webhooks/rest/"
        urls["lb"] = f"{self.settings.rasa_url}/webhooks/rest/"
        return urls

    def service_env(self, name: str) -> dict[str, str]:
        host = self.settings.host
        if name.startswith("rasa"):
            # Behind HAProxy (option forwardfor): the client of a request is the one it names.
            return {"RASA_PORT": str(self.replica_port(name)), "SANIC_PROXIES_COUNT": "1"}
        if name == "lb":
            env = {"LB_BIND": f"{host}:{self.settings.rasa_port}"}
            for number in (1, 2):
                # The HAProxy configuration names two servers; with one replica both are the same.
                replica = f"rasa{min(number, self.replicas)}"
                env[f"RASA{number}_ADDR"] = f"{host}:{self.replica_port(replica)}"
            return env
        return {}

    def start(self, timeout: float = 300.0) -> None:
        env = {**os.environ, **self.extra_env}
        self.extra_env = {
            "ASSISTANT_ENDPOINTS": str(SCALED_ENDPOINTS),
            "ASSISTANT_LOCK_STORE": env.get("ASSISTANT_LOCK_STORE", LOCK_STORE),
            # The replicas share their rate-limit counts in the lock store's Redis.
            "ASSISTANT_RATE_LIMIT_STORAGE": env.get("ASSISTANT_RATE_LIMIT_STORAGE") or redis_url(env),
            **self.extra_env,
        }
        ensure_database({**env, **self.extra_env})
        super().start(timeout)


