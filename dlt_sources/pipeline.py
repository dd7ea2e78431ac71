"""The dlt side of a sync: is the API reachable, the Postgres destination, one pipeline per
source and warehouse, loads into one dataset taking turns, and saving refreshed tokens at
once."""

from __future__ import annotations

import copy
import getpass
import hashlib
import socket
import time
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import dlt
from dlt.common.configuration.exceptions import ConfigFieldMissingException
from dlt.common.destination.capabilities import DestinationCapabilitiesContext
from dlt.common.pipeline import LoadInfo

from dlt_sources._shared.context import TokenSaver
from socialpulse import accounts, locks
from socialpulse.errors import ConfigError
from socialpulse.platforms import raw_dataset
from socialpulse.settings import get_settings
from socialpulse.warehouse import connect

# the load step's lock, one per raw dataset (see run_in_turn)
_LOAD_LOCK = locks.LOAD


def check_reachable(group: str) -> str:
    """The source's configured base URL; a ConfigError when it is unset or unreachable."""
    try:
        base_url = str(dlt.config[f"sources.{group}.base_url"])
    except (KeyError, ConfigFieldMissingException) as exc:
        raise ConfigError(f"sources.{group}.base_url is not set: set SOURCES__"
                          f"{group.upper()}__BASE_URL or .dlt/config.toml") from exc
    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname or "", port), timeout=5).close()
    except OSError as exc:
        raise ConfigError(
            f"cannot reach the {group} API at {base_url}: start the sandbox "
            f"(`socialpulse sandbox serve`) or fix SOURCES__{group.upper()}__BASE_URL") from exc
    return base_url


class _Postgres(dlt.destinations.postgres):
    """dlt's Postgres destination, its capabilities resolved once per warehouse and process.

    dlt asks for them about 30 times per run and resolves the whole destination configuration
    (every provider, every field) each time: 15 ms a call, a fifth of an account step's CPU.
    They depend only on the credentials (one warehouse) and on whether the schema's naming
    convention is case-sensitive, so they are kept per process for the next runs too (a
    worker runs many account steps). The schema's naming object is new on every schema load,
    so it cannot be the key itself.
    """

    _TYPE = dlt.destinations.postgres().destination_type
    _CAPS: ClassVar[dict[tuple[str, Any, bool], DestinationCapabilitiesContext]] = {}

    @property
    def destination_type(self) -> str:
        # the type names dlt's config sections and the pipeline state: keep Postgres's
        return self._TYPE

    def capabilities(self, config: Any = None, naming: Any = None
                     ) -> DestinationCapabilitiesContext:
        if config is not None:
            return super().capabilities(config, naming)
        key = (str(self.config_params.get("credentials")), type(naming),
               bool(naming and naming.is_case_sensitive))
        if key not in self._CAPS:
            self._CAPS[key] = super().capabilities(None, naming)
        return copy.copy(self._CAPS[key])


def destination(url: str) -> dlt.destinations.postgres:
    """dlt's Postgres destination for ``url``. dlt insists on a user name and a password even
    where the server trusts local connections, so missing ones are filled in (the current OS
    user, and a password that trust authentication ignores)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" not in netloc:
        netloc = f"{getpass.getuser()}@{netloc}"
    userinfo, host = netloc.rsplit("@", 1)
    if ":" not in userinfo:
        userinfo += ":unused"
    return _Postgres(parts._replace(netloc=f"{userinfo}@{host}").geturl())


def token_saver(url: str) -> TokenSaver:
    """Stores an account's refreshed tokens (encrypted) the moment they are issued."""
    def save(account_id: int, access: str, refresh: str | None,
             expires_at: datetime | None) -> None:
        with connect(url) as conn:
            accounts.save_tokens(conn, account_id, access, refresh, expires_at)
    return save


def make_pipeline(group: str, url: str, account: str | None = None) -> dlt.Pipeline:
    """The group's dlt pipeline into ``raw_<group>`` of the warehouse at ``url``; with
    ``account`` (a name fit for a pipeline), that account's own pipeline into the same
    dataset, with its own state (cursors) and load packages."""
    return dlt.pipeline(
        pipeline_name=f"socialpulse_{group}" + (f"__{account}" if account else ""),
        destination=destination(url),
        dataset_name=raw_dataset(group),
        # local pipeline state belongs to one warehouse: keep one folder per database
        pipelines_dir=str(get_settings().socialpulse_data_dir / "dlt"
                          / hashlib.sha1(url.encode()).hexdigest()[:12]),
    )


def run_in_turn(pipeline: dlt.Pipeline, source: Any, url: str, loader_file_format: str,
                timing: dict[str, float] | None = None) -> LoadInfo:
    """``pipeline.run(source)`` whose load step waits for any other load into the dataset.

    Every pipeline writing to one dataset shares its ``<dataset>_staging`` tables, and dlt
    truncates them when a load starts: a second load starting between another's copy into
    staging and its merge would erase that load's rows. Extraction and normalisation (the
    API calls and nearly all the CPU) still overlap; only the load, a few per cent of a sync,
    takes turns. The lock is a session advisory lock, so a killed worker releases it.
    ``timing``, when given, receives ``load_wait_s`` (waiting for the turn) and ``load_s``
    (the load itself, holding it).
    """
    if pipeline.config.restore_from_destination:
        pipeline.sync_destination()
    # like pipeline.run: pending packages of an interrupted run are loaded first, alone
    if not pipeline.has_pending_data:
        pipeline.extract(source, loader_file_format=loader_file_format)  # type: ignore[arg-type]
    if pipeline.list_extracted_load_packages():
        pipeline.normalize()
    with connect(url, autocommit=True) as conn:
        started = time.monotonic()
        conn.execute("select pg_advisory_lock(%s, hashtext(%s))",
                     (_LOAD_LOCK, pipeline.dataset_name))
        turn = time.monotonic()
        try:
            return pipeline.load()
        finally:
            if timing is not None:
                timing.update(load_wait_s=turn - started, load_s=time.monotonic() - turn)
