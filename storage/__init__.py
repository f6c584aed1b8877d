"""Redline's storage: SQLAlchemy models, engine setup, migrations and queries.

Nothing here imports from ``tracker`` or ``tui``; ORM objects stay inside this package and
typed records (``storage.records``) cross its border.
"""
