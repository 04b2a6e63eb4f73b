"""Fixtures of the NukeViet tests: a NukeViet database in MariaDB (see nv_fixture)."""

from tests.nukeviet.nv_fixture import nukeviet_db, nukeviet_sql, uploads  # noqa: F401
