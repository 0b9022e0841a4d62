"""The named exports: every column listed on purpose, none dumped from a table.

Left out of every export, because an auditor checks how applications were handled and not who
made them: the applicant's name, address, e-mail, phone, representative, the free-text subject,
case notes, the applicant's answers and attachments. The T.C. kimlik or passport number stays,
masked, so that a case can be matched with a Board or court file that quotes it; an unmasked
export (supervisors only, audited as `export.unmasked`) shows it in full. IP addresses in the
audit trail are masked to their network in the same way. JSON columns are exported as the
JSON text stored (a SQL CAST), the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Text, case, cast, func, select, type_coerce
from sqlalchemy.orm import aliased

from ..domain.identity import mask_tckn
from ..models import (
    Application,
    ApplicationRight,
    AuditEvent,
    DestructionRecord,
    Reminder,
    User,
)
from .spec import Column, Export

EXPORTS: dict[str, Export] = {}


def register(export: Export) -> Export:
    if export.name in EXPORTS:
        raise ValueError(f"export {export.name!r} registered twice")
    EXPORTS[export.name] = export
    return export


def mask_identity_no(value: str | None) -> str | None:
    """Mask a T.C. or passport number: 172******60; a short number is starred whole."""
    if not value:
        return value
    return mask_tckn(value) if len(value) >= 7 else "*" * len(value)


STARS = "*" * 64


def _stars(count) -> ColumnElement:
    # A slice of a constant is the cheaper way; SQLite's printf repeats a %c any number of
    # times (count >= 1).
    return type_coerce(case((count <= len(STARS), func.substr(STARS, 1, count)),
                            else_=func.printf("%.*c", count, "*")), Text)


def sql_mask_identity_no(value: ColumnElement) -> ColumnElement:
    """mask_identity_no in SQLite (exports/sqlite_lines.py); '' and NULL stay as they are."""
    length = func.length(value)
    return case(
        (length >= 7, type_coerce(func.substr(value, 1, 3), Text) + _stars(length - 5)
         + func.substr(value, -2)),
        (length >= 1, _stars(length)),
        else_=value)


def mask_ip(value: str | None) -> str | None:
    """Keep the network, hide the host: 203.0.113.x, 2001:db8:85a3:x."""
    if not value:
        return value
    if ":" in value:
        return ":".join(value.split(":")[:3]) + ":x"
    return value.rsplit(".", 1)[0] + ".x"


IDENTITY_NOTE = ("Maskeli: ilk 3 ve son 2 hane. Tam numara yalnızca yöneticinin maskesiz "
                 "dışa aktarımında yer alır.",
                 "Masked: first 3 and last 2 digits. The full number only appears in a "
                 "supervisor's unmasked export.")
STAFF_NOTE = ("Çalışanın adı (kişisel veri değil, hesap verebilirlik için).",
              "The staff member's name (accountability, not applicant data).")

assignee = aliased(User, name="assignee")
register(Export(
    name="applications", tr="Başvurular", en="Applications",
    period_tr="başvuru tarihine göre", period_en="by date received",
    columns=(
        Column("tracking_no", "Takip no", "Tracking no", Application.tracking_no),
        Column("received_at", "Başvuru tarihi", "Received", Application.received_at,
               "datetime"),
        Column("channel", "Kanal", "Channel", Application.channel),
        Column("status", "Durum", "Status", Application.status),
        Column("statutory_due", "Yasal son gün", "Statutory due", Application.statutory_due,
               "date"),
        Column("outer_due", "Dış sınır", "Outer limit", Application.outer_due, "date"),
        Column("replied_at", "Yanıt tarihi", "Replied", Application.replied_at, "datetime"),
        Column("closed_at", "Kapanış tarihi", "Closed", Application.closed_at, "datetime"),
        Column("nationality", "Uyruk", "Nationality", Application.nationality),
        Column("identity_no", "Kimlik/pasaport no", "Identity/passport no",
               func.coalesce(Application.tckn, Application.passport_no),
               mask=mask_identity_no, sql_mask=sql_mask_identity_no,
               note_tr=IDENTITY_NOTE[0], note_en=IDENTITY_NOTE[1]),
        Column("identity_status", "Kimlik doğrulama", "Identity check",
               Application.identity_status),
        Column("identity_method", "Doğrulama yöntemi", "Verification method",
               Application.identity_method),
        Column("assignee", "Sorumlu", "Assignee", assignee.name,
               note_tr=STAFF_NOTE[0], note_en=STAFF_NOTE[1]),
        Column("language", "Dil", "Language", Application.language),
        Column("reply_channel", "Yanıt kanalı", "Reply channel", Application.reply_channel),
    ),
    select=lambda cols: select(*cols).select_from(Application).outerjoin(
        assignee, assignee.id == Application.assignee_id),
    dated_by=Application.received_at, order_by=Application.id, with_figures=True,
))

decider = aliased(User, name="decider")
register(Export(
    name="decisions", tr="Kararlar", en="Decisions",
    period_tr="karar tarihine göre", period_en="by date decided",
    columns=(
        Column("tracking_no", "Takip no", "Tracking no", Application.tracking_no),
        Column("right", "Hak (md. 11)", "Right (Art. 11)", ApplicationRight.right_code),
        Column("outcome", "Karar", "Outcome", ApplicationRight.outcome),
        Column("reason_code", "Ret gerekçesi kodu", "Reason code", ApplicationRight.reason_code),
        Column("justification", "Gerekçe", "Justification", ApplicationRight.justification,
               prose=True,
               note_tr="Ret gerekçesi: denetimin konusu, aynen aktarılır.",
               note_en="The reasons for a rejection: what the audit is about, kept as written."),
        Column("decided_at", "Karar tarihi", "Decided", ApplicationRight.decided_at, "datetime"),
        Column("decided_by", "Karar veren", "Decided by", decider.name,
               note_tr=STAFF_NOTE[0], note_en=STAFF_NOTE[1]),
    ),
    select=lambda cols: select(*cols).select_from(ApplicationRight)
    .join(Application, Application.id == ApplicationRight.application_id)
    .outerjoin(decider, decider.id == ApplicationRight.decided_by_id)
    .where(ApplicationRight.outcome.is_not(None)),
    dated_by=ApplicationRight.decided_at, order_by=ApplicationRight.id,
))

register(Export(
    name="reminders", tr="Gönderilen hatırlatmalar", en="Reminders sent",
    period_tr="gönderim kaydına göre", period_en="by date sent",
    columns=(
        Column("tracking_no", "Takip no", "Tracking no", Application.tracking_no),
        Column("rung", "Hatırlatma", "Reminder", Reminder.rung),
        Column("due_at", "Planlanan", "Due", Reminder.due_at, "datetime"),
        Column("sent_at", "Kuyruğa alındı", "Queued for sending", Reminder.recorded_at,
               "datetime"),
    ),
    select=lambda cols: select(*cols).select_from(Reminder)
    .join(Application, Application.id == Reminder.application_id)
    .where(Reminder.state == "sent"),
    dated_by=Reminder.recorded_at, order_by=Reminder.id,
))

register(Export(
    name="audit", tr="Denetim kayıtları", en="Audit events",
    period_tr="olay tarihine göre", period_en="by date of the event",
    columns=(
        Column("id", "No", "No", AuditEvent.id, "int"),
        Column("occurred_at", "Zaman", "When", AuditEvent.occurred_at, "datetime"),
        Column("actor", "Yapan", "Actor", AuditEvent.actor),
        Column("action", "İşlem", "Action", AuditEvent.action),
        Column("tracking_no", "Takip no", "Tracking no", Application.tracking_no),
        Column("ip", "IP", "IP", AuditEvent.ip, mask=mask_ip,
               note_tr="Maskeli: ağ kısmı kalır, son blok gizlenir.",
               note_en="Masked: the network stays, the last block is hidden."),
        Column("data", "Ayrıntı (JSON)", "Details (JSON)", cast(AuditEvent.data, Text),
               prose=True),
        Column("prev_hash", "Önceki özet", "Previous hash", AuditEvent.prev_hash),
        Column("hash", "Özet (SHA-256)", "Hash (SHA-256)", AuditEvent.hash),
    ),
    select=lambda cols: select(*cols).select_from(AuditEvent).outerjoin(
        Application, Application.id == AuditEvent.application_id),
    dated_by=AuditEvent.occurred_at, order_by=AuditEvent.id,
))

register(Export(
    name="destruction", tr="İmha kayıtları", en="Destruction log",
    period_tr="imha tarihine göre", period_en="by date destroyed",
    columns=(
        Column("id", "No", "No", DestructionRecord.id, "int"),
        Column("run_id", "İmha çalışması", "Destruction run", DestructionRecord.run_id, "int"),
        Column("tracking_no", "Takip no", "Tracking no", DestructionRecord.tracking_no),
        Column("method", "Yöntem", "Method", DestructionRecord.method),
        Column("what", "İmha edilenler (JSON)", "What was destroyed (JSON)",
               cast(DestructionRecord.what, Text), prose=True),
        Column("basis", "Dayanak", "Basis", DestructionRecord.basis, prose=True),
        Column("performed_at", "İmha zamanı", "Performed", DestructionRecord.performed_at,
               "datetime"),
        Column("performed_by", "Yapan", "Performed by", DestructionRecord.performed_by),
    ),
    select=lambda cols: select(*cols).select_from(DestructionRecord),
    dated_by=DestructionRecord.performed_at, order_by=DestructionRecord.id,
))
