"""Log an application that arrived by post, KEP, e-signature, mobile signature or e-mail.

The Board held a web-only intake unlawful (2019/296), so every channel comes in here. The
applicant's details are validated exactly as on the public form; the deadline runs from the
receipt time the officer records, and an old receipt yields a case that is already overdue.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, DateField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ...calendar_source import deadline_policy, holiday_calendar
from ...clock import utcnow
from ...domain.deadlines import ISTANBUL, to_istanbul
from ...domain.rights import CHANNELS
from ...extensions import db
from ...i18n import current_language
from ...services import cases as case_service
from ...services.attachments import FileStash, IncomingFile, sniff_media_type
from ...services.cases import CaseError
from ...services.office_intake import log_application as log_service
from ..helpers import client_ip
from ..paths import upload_dir
from ..public.forms import ApplicationForm, ChoiceField, no_control_chars, strip
from ..public.submit import form_to_input
from ..public.uploads import read_uploads
from .blueprint import bp, roles_required
from .case_forms import attach_error

# KVKK was published on 07.04.2016: an earlier receipt date is a typing error.
EARLIEST_RECEIPT = date(2016, 4, 7)


class LogApplicationForm(ApplicationForm):
    """The public form's applicant fields plus how and when the application reached us."""

    # Uploads are read only under these names (the public form's FILE_FIELDS convention).
    FILE_FIELDS = ("power_of_attorney", "attachments", "receipt_scan")
    # The applicant's declaration and the bot trap belong to the public form only.
    declaration = None
    website = None

    channel = ChoiceField(_l("Channel"), validators=[
        InputRequired(_l("Choose the channel the application came through."))])
    received_date = DateField(_l("Date received"), validators=[
        InputRequired(_l("Enter the date the application was received."))])
    received_time = TimeField(_l("Time received"), format=["%H:%M", "%H:%M:%S"], validators=[
        InputRequired(_l("Enter the time the application was received."))])
    receipt_evidence = StringField(_l("Receipt evidence"), filters=[strip], validators=[
        DataRequired(_l("Enter the registry number or the KEP receipt.")), no_control_chars,
        Length(max=200, message=_l("Use at most %(max)d characters."))])
    receipt_scan = FileField(_l("Scan of the application"))
    take = BooleanField(_l("Take this application myself"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.channel.choices = [(c.code, c.label(lang)) for c in CHANNELS if c.code != "web"]
        # The officer fills these in for the applicant: say so in the labels.
        self.relationship.label.text = _l("Relationship to us")
        self.rights.label.text = _l("Rights requested")
        self.subject.label.text = _l("Subject and details of the request")
        self.reply_channel.label.text = _l("Reply by")

    @property
    def received_at(self) -> datetime | None:
        if self.received_date.data is None or self.received_time.data is None:
            return None
        return datetime.combine(self.received_date.data, self.received_time.data,
                                tzinfo=ISTANBUL)

    def validate_received_date(self, field):
        if field.data is None:
            return
        if field.data < EARLIEST_RECEIPT:
            raise ValidationError(_l("Check the date: it is before KVKK was published."))
        if field.data > to_istanbul(utcnow()).date():
            raise ValidationError(_l("The receipt date cannot be in the future."))

    def validate_received_time(self, field):
        received = self.received_at
        if received is not None and received.date() == to_istanbul(utcnow()).date() \
                and received > utcnow():
            raise ValidationError(_l("The receipt time cannot be in the future."))


def _read_scan(form: LogApplicationForm) -> tuple[list[IncomingFile], list[str]]:
    """Check the receipt scan by its content, as the public form checks its files."""
    storage = form.receipt_scan.data
    if not isinstance(storage, FileStorage) or not storage.filename:
        return [], []
    limit = current_app.config["KVKK_MAX_FILE_BYTES"]
    data = storage.stream.read(limit + 1)
    if len(data) > limit:
        return [], [_("%(name)s is larger than %(mb)d MB.", name=storage.filename,
                      mb=limit // (1024 * 1024))]
    media_type = sniff_media_type(data[:16])
    if media_type is None:
        return [], [_("%(name)s is not a PDF, JPEG or PNG file.", name=storage.filename)]
    return [IncomingFile("receipt_scan", storage.filename, data, media_type)], []


@bp.route("/applications/new", methods=["GET", "POST"])
@roles_required("officer", "supervisor")
def log_application():
    form = LogApplicationForm()
    if not form.is_submitted():
        form.received_date.data = to_istanbul(utcnow()).date()
        return render_template("office/log_application.html", form=form)
    valid = form.validate()
    files, file_errors = read_uploads(form)
    scan, scan_errors = _read_scan(form)
    for name, messages in {**file_errors, "receipt_scan": scan_errors}.items():
        getattr(form, name).errors = [*getattr(form, name).errors, *messages]
    if not valid or file_errors or scan_errors:
        return render_template("office/log_application.html", form=form), 400

    # Applications are made in Turkish (Tebliğ Art. 4), whatever the officer's UI language.
    data = dataclasses.replace(form_to_input(form, [*files, *scan]), language="tr")
    now = utcnow()
    stash = FileStash(upload_dir(current_app))
    try:
        logged = log_service(db.session, current_user, now, data, channel=form.channel.data,
                             received_at=form.received_at, receipt_evidence=form.receipt_evidence
                             .data, calendar=holiday_calendar(), policy=deadline_policy(),
                             stash=stash, ip=client_ip())
        application = logged.submission.application
        if form.take.data:
            case_service.take(db.session, current_user, now, application, ip=client_ip())
        db.session.commit()
    except CaseError as error:
        db.session.rollback()
        stash.discard()
        if error.field == "received_at":
            error.field = "received_time"
        attach_error(form, error)
        return render_template("office/log_application.html", form=form), 400
    except BaseException:
        db.session.rollback()
        stash.discard()
        raise
    flash(_("Application logged as %(no)s. The applicant's access code is %(code)s: send it "
            "with the acknowledgment, it is not shown again.", no=application.tracking_no,
            code=logged.submission.access_code), "success")
    if logged.overdue_days:
        flash(_("The receipt was more than %(days)d days ago: this application is already "
                "%(late)d day(s) overdue. It has been registered all the same; reply as soon "
                "as possible.", days=current_app.config["KVKK_DEADLINE_DAYS"],
                late=logged.overdue_days), "warning")
    return redirect(url_for("office.case", tracking_no=application.tracking_no), code=303)
