"""Alembic environment: migrations run on a connection Redline hands over, or from a URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import engine_from_config, pool

from storage.models import Base, include_object

config = context.config
target_metadata = Base.metadata


def run_migrations(connection: object) -> None:
    """Run the migrations on an open connection."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables.
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    section = config.get_section(config.config_ini_section, {})
    if os.environ.get("REDLINE_DATABASE_URL"):
        section["sqlalchemy.url"] = os.environ["REDLINE_DATABASE_URL"]
    engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as conn:
        run_migrations(conn)
