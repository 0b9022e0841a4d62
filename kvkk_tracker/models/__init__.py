"""Typed SQLAlchemy models. Timestamps are stored in UTC."""

from .application import Application, ApplicationRight, Attachment
from .audit import AuditEvent
from .case import ApplicantMessage, CaseNote, Notification, RightAction
from .user import ROLES, User

__all__ = ["ROLES", "ApplicantMessage", "Application", "ApplicationRight", "Attachment",
           "AuditEvent", "CaseNote", "Notification", "RightAction", "User"]
