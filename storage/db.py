"""Engine and session setup, and upgrading the schema to the newest migration on open.

SQLite transactions (several processes share one file: the daemon writes while the TUI
reads and `redline check` or `reextract` write too):

- Every transaction starts with a plain ``BEGIN``: a read snapshot that takes no lock, so
  readers never wait and see one consistent state for the whole session (WAL).
- A transaction that is about to write first takes the write lock with ``BEGIN IMMEDIATE``,
  which waits for other writers up to the busy timeout. A read transaction is never
  *upgraded* in place: when another process has committed since its snapshot, SQLite
  answers that upgrade with SQLITE_BUSY at once, without waiting, and the busy timeout
  does not help. The read snapshot (nothing written in it) is ended instead, and the write
  transaction starts on the newest state. This happens on the first writing statement,
  or earlier through :func:`lock_for_write` / :meth:`Database.writing` when what is read
  decides what is written (check-then-insert), so that the reads are under the lock too.

The driver's own transaction handling is turned off (``isolation_level = None``): it
would begin only at the first INSERT/UPDATE/DELETE, with a deferred BEGIN, so a session's
earlier reads would each see a different state.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import StorageError

MIGRATIONS = Path(__file__).with_name("migrations")
# How long a writer waits for another process's lock before SQLite gives up (ms).
SQLITE_BUSY_TIMEOUT_MS = 30_000
# connection.info key: whether the connection's transaction holds the write lock.
_WRITING = "redline.writing"
# Statements that neither write nor need the write lock (by their first word).
_READS = frozenset({"SELECT", "PRAGMA", "EXPLAIN", "VALUES", "BEGIN", "COMMIT", "END", "ROLLBACK"})
_WRITE_WORD = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def default_database_url() -> str:
    """The SQLite file in the user's data directory (created on first use)."""
    path = Path(platformdirs.user_data_dir("redline", appauthor=False)) / "redline.db"
    return f"sqlite:///{path}"


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


@dataclass
class Database:
    """An open, migrated database: the engine and a session factory."""

    engine: Engine
    sessions: sessionmaker[Session]
    url: str

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error.

        It reads one consistent snapshot and takes the write lock at its first write; use
        :meth:`writing` when what it reads decides what it writes.
        """
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException as exc:
                session.rollback()
                if _busy(exc):
                    raise StorageError(
                        f"the database {safe_url(self.url)} stayed locked by another Redline "
                        f"process for more than {SQLITE_BUSY_TIMEOUT_MS // 1000} s; try again"
                    ) from exc
                if isinstance(exc, OperationalError):  # read-only file, full disk, I/O error
                    reason = str(exc.orig or exc).splitlines()[0]
                    raise StorageError(f"database {safe_url(self.url)}: {reason}") from exc
                raise

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session holding the write lock from its start: its reads cannot go stale
        before its writes (other writers wait; readers do not)."""
        with self.session() as session:
            lock_for_write(session)
            yield session

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


def _busy(exc: BaseException) -> bool:
    """Whether an error is SQLite giving up on a lock (after the busy timeout)."""
    if isinstance(exc, OperationalError):
        exc = exc.orig
    return isinstance(exc, sqlite3.OperationalError) and any(
        words in str(exc) for words in ("database is locked", "database is busy")
    )


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # WAL lets the TUI read while the daemon writes; NORMAL sync is durable across
    # application crashes in WAL mode, which is the failure we guard against.
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()
    # Transactions are begun by _on_begin and _take_write_lock, not by the driver.
    dbapi_connection.isolation_level = None


def _on_begin(connection: Connection) -> None:
    connection.info[_WRITING] = False
    connection.exec_driver_sql("BEGIN")


def _take_write_lock(connection: Connection) -> None:
    """Make the connection's transaction a write transaction, waiting for the lock."""
    if connection.info.get(_WRITING):
        return
    dbapi_connection = connection.connection.dbapi_connection
    assert isinstance(dbapi_connection, sqlite3.Connection)
    if dbapi_connection.in_transaction:
        dbapi_connection.commit()  # a read snapshot, nothing written: see the module doc
    dbapi_connection.execute("BEGIN IMMEDIATE")
    connection.info[_WRITING] = True


def _writes(statement: str) -> bool:
    """Whether a statement writes (or needs the write lock)."""
    words = statement.split(None, 1)
    verb = words[0].upper() if words else "SELECT"
    if verb == "WITH":  # a common table expression, then a SELECT or a write
        return _WRITE_WORD.search(statement) is not None
    return verb not in _READS


def _before_execute(
    connection: Connection,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    _context: Any,
    _executemany: bool,
) -> None:
    if not connection.info.get(_WRITING) and _writes(statement):
        _take_write_lock(connection)


def lock_for_write(session: Session) -> None:
    """Take the write lock for the session's transaction now, before reads that decide
    what it writes (on SQLite; other databases lock rows as they go)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        _take_write_lock(connection)


def _make_folder(database: str | None, query: dict[str, Any]) -> None:
    """Create the folder of a new SQLite file; a ``file:`` URI (``?uri=true``) names its
    path after the prefix, and one opened read-only (``mode=ro``) must already exist."""
    if not database or database == ":memory:":
        return
    if query.get("uri") == "true":
        if query.get("mode") in ("ro", "memory"):
            return
        database = database.removeprefix("file:")
    try:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create the folder for {database}: {exc}") from exc


def create_db_engine(url: str) -> Engine:
    """An engine for any SQLAlchemy URL; SQLite files get WAL, foreign keys and a busy timeout."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StorageError(
            f"not a database URL: {url!r} (try sqlite:///path/to/redline.db)"
        ) from exc
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite:
        _make_folder(parsed.database, dict(parsed.query))
    try:
        engine = create_engine(parsed, connect_args={"timeout": 30} if is_sqlite else {})
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise StorageError(f"cannot open database {safe_url(url)}: {exc}") from exc
    if is_sqlite:
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_begin)
        event.listen(engine, "before_cursor_execute", _before_execute)
    return engine


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        # Alembic's ini parser interpolates "%", which URL-quoted paths and passwords hold.
        rendered = engine.url.render_as_string(hide_password=False).replace("%", "%%")
        config.set_main_option("sqlalchemy.url", rendered)
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration; a no-op when it is already there.

    Two processes opening a new database at once: the second waits for the first's
    migration (the write lock) and then finds the schema at head."""
    config = alembic_config(engine)
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.begin() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        if current == head:
            return
        _refuse_foreign(connection, current, config)
        if connection.dialect.name == "sqlite":
            _take_write_lock(connection)
            if MigrationContext.configure(connection).get_current_revision() == head:
                return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _refuse_foreign(connection: Connection, current: str | None, config: Config) -> None:
    """StorageError for a database Redline must not migrate: another program's (tables but
    no Redline revision) or a newer Redline's (a revision these migrations do not know)."""
    url = safe_url(connection.engine.url.render_as_string(hide_password=False))
    if current is None:
        tables = sorted(set(inspect(connection).get_table_names()) - {"alembic_version"})
        if tables:
            raise StorageError(
                f"{url} is not a Redline database (it holds tables {', '.join(tables[:5])}); "
                "give Redline a new file with --db"
            )
        return
    try:
        known = ScriptDirectory.from_config(config).get_revision(current) is not None
    except CommandError:  # alembic's "Can't locate revision"
        known = False
    if not known:
        raise StorageError(
            f"the database {url} was made by a newer Redline (schema revision {current}); "
            "upgrade Redline to use it"
        )


def open_database(url: str | None = None) -> Database:
    """Open (and migrate to head) the database at ``url``, or the default SQLite file."""
    url = url or default_database_url()
    engine = create_db_engine(url)
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise StorageError(f"cannot open database {safe_url(url)}: {reason}") from exc
    return Database(engine, sessionmaker(engine, expire_on_commit=False), url)
