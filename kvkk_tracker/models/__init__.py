"""Typed SQLAlchemy models. Timestamps are stored in UTC."""

from .application import Application, ApplicationRight, Attachment
from .audit import AuditEvent
from .case import ApplicantMessage, CaseNote, Notification, RightAction
from .holiday import HolidayOverrideRecord
from .inventory import CaseInventoryItem, InventoryEntry
from .jobs import SchedulerHeartbeat
from .letter import LETTER_KINDS, Letter
from .outbox import OutboxMessage
from .reminders import Reminder
from .retention import DestructionRecord, DestructionRun
from .user import ROLES, User

__all__ = ["LETTER_KINDS", "ROLES", "ApplicantMessage", "Application", "ApplicationRight",
           "Attachment", "AuditEvent", "CaseInventoryItem", "CaseNote", "DestructionRecord",
           "DestructionRun", "HolidayOverrideRecord", "InventoryEntry", "Letter", "Notification",
           "OutboxMessage", "Reminder", "RightAction", "SchedulerHeartbeat", "User"]
