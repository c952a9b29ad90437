"""A throw-away PostgreSQL cluster, for the tests and `make eval`: initdb and pg_ctl in a temporary folder,
reached over a unix socket in that folder (no TCP port, so nothing else on the machine can reach it or clash
with it). Not for a team's database, which is a server of its own, named by URL.

The binaries are looked for on PATH and where Debian's `postgresql` package puts them (`make test` and
`make eval` install it where missing). PostgreSQL refuses to run as root; as root the cluster is run as the
`postgres` account that the Debian package creates, through `runuser`.
"""

from __future__ import annotations

import getpass
import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg

from dyadwatch.errors import DyadwatchError, Errors

SUPERUSER = "dyadwatch"
SERVICE_ACCOUNT = "postgres"
DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"
START_TIMEOUT_S = 60


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None where PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    # Debian keeps them off PATH, one folder per major version; the newest wins.
    folders = sorted(glob.glob(DEBIAN_BINARIES), key=lambda f: int(Path(f).parent.name), reverse=True)
    return next((Path(f) for f in folders if (Path(f) / "initdb").exists()), None)


@dataclass(frozen=True)
class Cluster:
    """A running cluster: its folder (data and socket) and the binaries that run it."""

    folder: Path
    bin: Path

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.folder}"

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        with psycopg.connect(dbname="postgres", user=SUPERUSER, host=str(self.folder), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        _run_as_owner([str(self.bin / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", "-s"])
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(bin_folder: Path) -> Cluster:
    """initdb a cluster in a new temporary folder and start it listening only on a socket there."""
    folder = Path(tempfile.mkdtemp(prefix="dyadwatch-pg-"))
    if _is_root():
        shutil.chown(folder, SERVICE_ACCOUNT)
    cluster = Cluster(folder, bin_folder)
    _run_as_owner([str(bin_folder / "initdb"), "-D", str(cluster.data), "-U", SUPERUSER, "--auth=trust",
                   "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
    # fsync off: a test cluster that dies is thrown away anyway, and syncing would slow every commit.
    options = f"-k {folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    _run_as_owner([str(bin_folder / "pg_ctl"), "start", "-D", str(cluster.data), "-w", "-t", str(START_TIMEOUT_S),
                   "-s", "-l", str(folder / "server.log"), "-o", options])
    return cluster


def _is_root() -> bool:
    return os.geteuid() == 0


def _run_as_owner(command: list[str]) -> None:
    if _is_root() and getpass.getuser() != SERVICE_ACCOUNT:
        command = ["runuser", "-u", SERVICE_ACCOUNT, "--", *command]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=START_TIMEOUT_S + 30)
    except subprocess.CalledProcessError as error:
        raise DyadwatchError(Errors.E052, command=" ".join(command[:2]),
                             reason=" ".join(error.stderr.split())[-300:]) from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DyadwatchError(Errors.E052, command=" ".join(command[:2]), reason=str(error)) from None
