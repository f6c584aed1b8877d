"""The semantic diff engine (pure: no I/O, no database, no imports of other Redline packages)."""
