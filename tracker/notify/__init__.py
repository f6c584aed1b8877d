"""Digest composition, SMTP delivery and outbox processing."""
