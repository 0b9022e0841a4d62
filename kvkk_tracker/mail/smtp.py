"""Deliver one outbox message over SMTP with smtplib."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr


@dataclass(frozen=True)
class SmtpSettings:
    server: str
    port: int
    use_tls: bool
    username: str | None
    password: str | None
    sender: str
    sender_name: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_config(cls, config) -> SmtpSettings:
        return cls(server=config["MAIL_SERVER"], port=int(config["MAIL_PORT"]),
                   use_tls=bool(config["MAIL_USE_TLS"]), username=config.get("MAIL_USERNAME"),
                   password=config.get("MAIL_PASSWORD"), sender=config["MAIL_DEFAULT_SENDER"],
                   sender_name=config.get("KVKK_CONTROLLER_NAME"),
                   timeout=float(config.get("MAIL_TIMEOUT_SECONDS", 30)))

    @property
    def domain(self) -> str:
        return self.sender.rpartition("@")[2] or "localhost"


def message_id(outbox_id: int, created_at: datetime, domain: str) -> str:
    """Derive the Message-ID from the outbox row, so a resend carries the same one."""
    return f"<kvkk-outbox.{outbox_id}.{created_at:%Y%m%d%H%M%S}@{domain}>"


def build_message(settings: SmtpSettings, *, outbox_id: int, created_at: datetime,
                  recipient: str, subject: str, body: str, now: datetime,
                  attachments: tuple[tuple[str, bytes], ...] = ()) -> EmailMessage:
    """Build the e-mail; `attachments` are (file name, PDF bytes) pairs."""
    message = EmailMessage()
    message["From"] = formataddr((settings.sender_name or "", settings.sender))
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(outbox_id, created_at, settings.domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    message.set_content(body)
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return message


class SmtpTransport:
    """One SMTP connection for a run of messages; a context manager."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        s = self.settings
        smtp = smtplib.SMTP(s.server, s.port, timeout=s.timeout)
        try:
            if s.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if s.username:
                smtp.login(s.username, s.password or "")
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return self

    def send(self, message: EmailMessage) -> None:
        """Send one message; raise smtplib errors, including a refused recipient."""
        assert self._smtp is not None  # noqa: S101 (used inside `with` only)
        refused = self._smtp.send_message(message, from_addr=self.settings.sender)
        if refused:  # only with several recipients; we always send to one
            code, reason = next(iter(refused.values()))
            raise smtplib.SMTPResponseException(code, reason)

    def __exit__(self, *exc) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
