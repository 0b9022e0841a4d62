"""Plain-text e-mails: render from templates/email and deliver over SMTP."""

from .render import Rendered, render, render_filled
from .smtp import SmtpSettings, SmtpTransport, build_message, message_id

__all__ = ["Rendered", "SmtpSettings", "SmtpTransport", "build_message", "message_id", "render",
           "render_filled"]
