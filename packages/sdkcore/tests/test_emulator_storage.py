"""Database, ids and timestamps of the emulator kit."""

from __future__ import annotations

import sqlite3
import string
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sdkcore.emulator import Database, isoformat, new_id, utcnow

SCHEMA = """
CREATE TABLE IF NOT EXISTS parents (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS children (
    id INTEGER PRIMARY KEY,
    parent_id TEXT NOT NULL REFERENCES parents(id)
);
"""


@pytest.fixture
def db() -> Iterator[Database]:
    """An in-memory database with the test schema."""
    with Database(schema=SCHEMA) as database:
        yield database


def test_execute_and_queries(db: Database) -> None:
    assert db.execute("INSERT INTO parents VALUES (?, ?)", ("p1", "one")) == 1
    assert db.execute("INSERT INTO parents VALUES (:id, :name)", {"id": "p2", "name": "two"}) == 1
    assert db.query("SELECT * FROM parents ORDER BY id") == [
        {"id": "p1", "name": "one"},
        {"id": "p2", "name": "two"},
    ]
    assert db.query_one("SELECT name FROM parents WHERE id = ?", ("p2",)) == {"name": "two"}
    assert db.query_one("SELECT name FROM parents WHERE id = ?", ("nope",)) is None
    assert db.scalar("SELECT COUNT(*) FROM parents") == 2
    assert db.scalar("SELECT name FROM parents WHERE id = 'nope'") is None
    assert db.execute("UPDATE parents SET name = 'x'") == 2


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO children (parent_id) VALUES ('missing')")


def test_file_database_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    first = Database(path, schema=SCHEMA)
    assert first.scalar("PRAGMA journal_mode") == "wal"
    first.execute("INSERT INTO parents VALUES ('p1', 'kept')")
    first.close()

    with Database(str(path), schema=SCHEMA) as second:
        assert second.query("SELECT * FROM parents") == [{"id": "p1", "name": "kept"}]


def test_transaction_commits(db: Database) -> None:
    with db.transaction():
        db.execute("INSERT INTO parents VALUES ('p1', 'one')")
        db.execute("INSERT INTO children (parent_id) VALUES ('p1')")
    assert db.scalar("SELECT COUNT(*) FROM children") == 1


def insert_then_fail(db: Database) -> None:
    """Insert a row in a transaction, then raise."""
    with db.transaction():
        db.execute("INSERT INTO parents VALUES ('p1', 'one')")
        raise RuntimeError("boom")


def nested_insert_then_fail(db: Database) -> None:
    """Insert rows in nested transactions, then raise from an inner one."""
    with db.transaction():
        db.execute("INSERT INTO parents VALUES ('p1', 'one')")
        with db.transaction():
            db.execute("INSERT INTO parents VALUES ('p2', 'two')")
        with db.transaction():
            raise ValueError("inner")


def test_transaction_rolls_back_on_exception(db: Database) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        insert_then_fail(db)
    assert db.scalar("SELECT COUNT(*) FROM parents") == 0


def test_nested_transaction_joins_the_outer_one(db: Database) -> None:
    with pytest.raises(ValueError, match="inner"):
        nested_insert_then_fail(db)
    assert db.scalar("SELECT COUNT(*) FROM parents") == 0
    # The database is usable (in autocommit) afterwards.
    db.execute("INSERT INTO parents VALUES ('p3', 'three')")
    assert db.scalar("SELECT COUNT(*) FROM parents") == 1


def test_failed_commit_rolls_back(db: Database) -> None:
    db.execute(
        "CREATE TABLE deferred (ref TEXT REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED)"
    )
    with pytest.raises(sqlite3.IntegrityError), db.transaction():
        db.execute("INSERT INTO deferred VALUES ('missing')")
    assert db.scalar("SELECT COUNT(*) FROM deferred") == 0


def test_concurrent_threads(tmp_path: Path) -> None:
    db = Database(tmp_path / "threads.db", schema=SCHEMA)
    db.execute("INSERT INTO parents VALUES ('p', 'parent')")
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                with db.transaction():
                    before = db.scalar("SELECT COUNT(*) FROM children")
                    db.execute("INSERT INTO children (parent_id) VALUES ('p')")
                    assert db.scalar("SELECT COUNT(*) FROM children") == before + 1
                db.query("SELECT * FROM children LIMIT 5")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.scalar("SELECT COUNT(*) FROM children") == 400
    db.close()


def test_close_is_idempotent_and_final(db: Database) -> None:
    db.close()
    db.close()
    with pytest.raises(sqlite3.ProgrammingError):
        db.query("SELECT 1")


def test_utcnow_is_aware_utc() -> None:
    now = utcnow()
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 11, 25, 12, 0, 0, 123456, tzinfo=timezone.utc), "2026-11-25T12:00:00.123Z"),
        (datetime(2026, 11, 25, 12, 0, 0), "2026-11-25T12:00:00.000Z"),
        (
            datetime(2026, 11, 25, 14, 30, 5, 9000, tzinfo=timezone(timedelta(hours=2))),
            "2026-11-25T12:30:05.009Z",
        ),
    ],
)
def test_isoformat(value: datetime, expected: str) -> None:
    assert isoformat(value) == expected


def test_new_id() -> None:
    ids = {new_id("call_") for _ in range(200)}
    assert len(ids) == 200
    for value in ids:
        assert value.startswith("call_")
        assert len(value) == len("call_") + 20
        assert set(value[5:]) <= set(string.ascii_letters + string.digits)
    assert len(new_id("", 8)) == 8
    with pytest.raises(ValueError, match="length"):
        new_id("x", 0)


def _open_when_released(start: threading.Barrier, path: Path) -> Database:
    start.wait()
    return Database(path, schema=SCHEMA)


def test_databases_opened_at_once_on_a_new_file_all_open_it_in_wal_mode(tmp_path: Path) -> None:
    # SQLite refuses the switch to WAL at once to one of two openers racing for a new file
    # (about one round in ten here); each must still open it.
    with ThreadPoolExecutor(4) as pool:
        for round_ in range(30):
            path = tmp_path / f"round-{round_}.db"
            start = threading.Barrier(4)
            futures = [pool.submit(_open_when_released, start, path) for _ in range(4)]
            for future in futures:
                future.result().close()  # raises what the opener raised
            with sqlite3.connect(path) as db:
                assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
