"""Delivering messages over SMTP with the standard library: STARTTLS, implicit TLS or plain,
optional login. The password comes only from ``REDLINE_SMTP_PASSWORD`` and is never part of
an error message, a log line or the database."""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from types import TracebackType
from typing import Protocol

from tracker.config import SMTP_PASSWORD_ENV, EmailSettings
from tracker.errors import NotifyError

PASSWORD_ENV = SMTP_PASSWORD_ENV
LOOPBACK = ("localhost", "127.0.0.1", "::1")


class DeliveryError(NotifyError):
    """A message was not accepted; ``permanent`` when retrying cannot help (a 5xx refusal
    of the recipient or the message), otherwise the outbox tries again later."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Mailer(Protocol):
    """Something that hands messages to a mail server, one connection per outbox run."""

    def send(self, message: EmailMessage, recipient: str) -> None:
        """Deliver ``message`` to ``recipient`` or raise :class:`DeliveryError`."""
        ...

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        ...


def password_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """The SMTP password from the environment (None when unset or empty)."""
    value = (os.environ if env is None else env).get(PASSWORD_ENV)
    return value or None


def _refusal(exc: smtplib.SMTPException) -> DeliveryError:
    """Classify a refusal by its reply code: 5xx for the recipient or the message is final."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        codes = [code for code, _ in replies]
        text = "; ".join(f"{code} {msg.decode(errors='replace')}" for code, msg in replies)
        return DeliveryError(f"recipient refused: {text}", permanent=all(c >= 500 for c in codes))
    code = getattr(exc, "smtp_code", 0)
    reply = getattr(exc, "smtp_error", b"")
    detail = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    permanent = isinstance(exc, smtplib.SMTPDataError) and 500 <= code < 600
    return DeliveryError(f"message refused: {code} {detail}".strip(), permanent=permanent)


class SmtpMailer:
    """An SMTP client that connects on the first message and reuses the connection.

    After a connection failure every further send in the same run fails at once with the
    same error, so a server that is down costs one timeout, not one per digest.
    """

    def __init__(
        self,
        settings: EmailSettings,
        password: str | None = None,
        *,
        timeout: float = 30.0,
        context: ssl.SSLContext | None = None,
    ) -> None:
        self._settings = settings
        self._password = password
        self._timeout = timeout
        self._context = context or ssl.create_default_context()
        self._smtp: smtplib.SMTP | None = None
        self._broken: DeliveryError | None = None

    def __repr__(self) -> str:  # never show the password
        s = self._settings
        return f"SmtpMailer({s.smtp_host}:{s.smtp_port}, security={s.security})"

    def __enter__(self) -> SmtpMailer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _open(self) -> smtplib.SMTP:
        s = self._settings
        if s.username and s.security == "none" and s.smtp_host not in LOOPBACK:
            raise DeliveryError(
                "refusing to send the SMTP password unencrypted; "
                "set email.security to starttls or tls"
            )
        if s.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=self._timeout, context=self._context
            )
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=self._timeout)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                # No silent fallback to plain text when the server does not offer TLS.
                smtp.starttls(context=self._context)
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, self._password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _connection(self) -> smtplib.SMTP:
        if self._broken is not None:
            raise self._broken
        if self._smtp is None:
            where = f"{self._settings.smtp_host}:{self._settings.smtp_port}"
            try:
                self._smtp = self._open()
            except DeliveryError as exc:
                self._broken = exc
                raise
            except smtplib.SMTPNotSupportedError as exc:
                self._broken = DeliveryError(
                    f"the SMTP server {where} does not offer STARTTLS; "
                    "set email.security to tls, or to none for a local relay"
                )
                raise self._broken from exc
            except smtplib.SMTPAuthenticationError as exc:
                self._broken = DeliveryError(
                    f"SMTP login to {where} failed ({exc.smtp_code}); check email.username "
                    f"and {PASSWORD_ENV}"
                )
                raise self._broken from exc
            except (OSError, smtplib.SMTPException) as exc:
                self._broken = DeliveryError(f"cannot reach the SMTP server {where}: {exc}")
                raise self._broken from exc
        return self._smtp

    def send(self, message: EmailMessage, recipient: str) -> None:
        """Deliver one message to one recipient."""
        smtp = self._connection()
        try:
            smtp.send_message(message, from_addr=self._settings.from_, to_addrs=[recipient])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
            self._reset(smtp)
            raise _refusal(exc) from exc
        except smtplib.SMTPResponseException as exc:
            self._reset(smtp)
            raise _refusal(exc) from exc
        except (OSError, smtplib.SMTPException) as exc:
            # The connection is gone mid-message: drop it; the next run reconnects.
            self._broken = DeliveryError(f"SMTP connection lost: {exc}")
            self._drop()
            raise self._broken from exc

    def _reset(self, smtp: smtplib.SMTP) -> None:
        try:
            smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def close(self) -> None:
        """Quit politely; a server that already went away is no error."""
        if self._smtp is not None:
            # A server that already went away cannot be told goodbye; nothing is lost.
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._drop()
