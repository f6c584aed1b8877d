"""Redline's tracker: archive access, extraction, diffing, monitoring and notification."""

__version__ = "0.1.0"
