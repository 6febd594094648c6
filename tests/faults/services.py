"""Private PostgreSQL cluster and redis-server for the fault drill, on free ports."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.realservices import free_port, wait_for_port


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if not path:
        raise RuntimeError(f"{name} not found (install PostgreSQL's server package)")
    return path


class PrivatePostgres:
    """initdb + pg_ctl in a temporary directory; as the postgres user when run as root."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="rtm-faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.as_root = os.geteuid() == 0

    def _run(self, *cmd: str) -> subprocess.CompletedProcess[str]:
        if self.as_root:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/rtm_faults"

    def init(self) -> None:
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")
        self.start()
        self.psql("CREATE DATABASE rtm_faults")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._run(
            _pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.log),
            "-w",
            "start",
        )
        wait_for_port(self.port)

    def crash(self) -> None:
        """Immediate shutdown: no checkpoint, crash recovery at the next start (like kill -9)."""
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        try:
            self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        except subprocess.CalledProcessError:
            pass

    def psql(self, sql: str, db: str = "postgres") -> str:
        return self._run(
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            db,
            "-v",
            "ON_ERROR_STOP=1",
            "-Atc",
            sql,
        ).stdout

    def dump(self, path: Path) -> None:
        """The backup of docs/deployment.md: pg_dump --format=custom."""
        with path.open("wb") as out:
            subprocess.run(
                [
                    "pg_dump",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    "-d",
                    "rtm_faults",
                    "--format=custom",
                ],
                check=True,
                stdout=out,
                timeout=120,
            )

    def restore(self, path: Path) -> None:
        """The restore of docs/deployment.md: dropdb, createdb, pg_restore --no-owner."""
        self.psql("DROP DATABASE IF EXISTS rtm_faults WITH (FORCE)")
        self.psql("CREATE DATABASE rtm_faults")
        with path.open("rb") as dump:
            subprocess.run(
                [
                    "pg_restore",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    "-d",
                    "rtm_faults",
                    "--no-owner",
                ],
                check=True,
                stdin=dump,
                timeout=120,
            )

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
