"""Typed SQLAlchemy models. Timestamps are stored in UTC."""

from .application import Application, ApplicationRight, Attachment
from .audit import AuditEvent
from .case import ApplicantMessage, CaseNote, Notification, RightAction
from .jobs import SchedulerHeartbeat
from .outbox import OutboxMessage
from .reminders import Reminder
from .retention import DestructionRecord, DestructionRun
from .user import ROLES, User

__all__ = ["ROLES", "ApplicantMessage", "Application", "ApplicationRight", "Attachment",
           "AuditEvent", "CaseNote", "DestructionRecord", "DestructionRun", "Notification",
           "OutboxMessage", "Reminder", "RightAction", "SchedulerHeartbeat", "User"]
