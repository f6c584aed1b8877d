"""Showing untrusted text (from the web) on a terminal without letting it act on the terminal."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and C1 controls: ESC starts terminal escape
# sequences (colours, window titles, clipboard writes via OSC 52), which a page must not send.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with control characters shown as ``\\x1b``-style escapes instead of obeyed."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def one_line(text: str) -> str:
    """``text`` made safe for a one-line message: line breaks become spaces, controls visible.

    Error messages quote what they refuse (a reference, a URL, an archive's answer), so they
    carry untrusted text too.
    """
    return visible(" ".join(text.splitlines()))
