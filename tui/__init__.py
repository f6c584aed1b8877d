"""Redline's terminal UI (Textual). Imports ``tracker`` and ``storage``; nothing imports it."""
