"""Turn a validated form into a stored application, for both the web form and the API."""

from __future__ import annotations

from flask import current_app

from ...calendar_source import deadline_policy, holiday_calendar
from ...clock import utcnow
from ...extensions import db
from ...i18n import current_language
from ...services.actors import Actor
from ...services.attachments import FileStash, IncomingFile
from ...services.intake import ApplicationInput, submit_application
from ..paths import upload_dir


def form_to_input(form, files: list[IncomingFile]) -> ApplicationInput:
    return ApplicationInput(
        first_name=form.first_name.data,
        last_name=form.last_name.data,
        nationality=form.nationality.data,
        tckn=form.tckn.data or None,
        passport_no=form.passport_no.data or None,
        address=form.address.data,
        email=(form.email.data or None),
        phone=(form.phone.data or None),
        relationship=form.relationship.data,
        rights=tuple(form.rights.data),
        subject=form.subject.data,
        reply_channel=form.reply_channel.data,
        representative_name=form.representative_name.data or None,
        language=current_language(),
        files=tuple(files),
    )


def store_submission(actor: Actor, data: ApplicationInput, snapshot=None):
    """Run the intake service and commit; on any failure nothing stays, files included.

    `snapshot(application)` runs before the commit, so a caller that only needs a few values
    does not reload the expired row in a second transaction afterwards.
    """
    stash = FileStash(upload_dir(current_app))
    try:
        submission = submit_application(
            db.session, actor, utcnow(), data, channel="web",
            calendar=holiday_calendar(), policy=deadline_policy(), stash=stash)
        taken = snapshot(submission.application) if snapshot else None
        db.session.commit()
    except BaseException:
        db.session.rollback()
        stash.discard()
        raise
    return submission if snapshot is None else (submission, taken)
