"""Typed SQLAlchemy models. Timestamps are stored in UTC."""

from .application import Application, ApplicationRight, Attachment
from .audit import AuditEvent

__all__ = ["Application", "ApplicationRight", "Attachment", "AuditEvent"]
