"""The holiday calendar, kept by admins: the package's holidays of a year and the overrides.

An override applies to applications received after it is saved. The page says so, and lists
the open cases whose stored dates lie on or around each overridden day: they keep their dates.
"""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import DateField, StringField
from wtforms.validators import InputRequired, Length, ValidationError
from wtforms.widgets import HiddenInput

from ...clock import utcnow
from ...domain.calendar import HOLIDAYS_SOURCE, WEEKDAYS, HolidayCalendar
from ...domain.deadlines import to_istanbul
from ...extensions import db
from ...i18n import current_language
from ...models import User
from ...services import holidays as holiday_service
from ...services.holidays import OverrideError, OverrideInput
from ..forms import SafeForm
from ..helpers import client_ip
from ..public.forms import ChoiceField, no_control_chars, strip
from .blueprint import bp, roles_required
from .labels import office_status_label

# KVKK came into force in 2016: no year before it has a case to look at.
FIRST_YEAR = 2016

KIND_LABELS = {
    "full": _l("Full-day holiday"),
    "half": _l("Half-day holiday (from 13:00)"),
    "none": _l("Not a holiday (cancels the package's holiday)"),
}

OVERRIDE_ERRORS = {
    "day_required": _l("Enter the day."),
    "day_out_of_range": _l("Choose a day from one year ago up to ten years ahead."),
    "unknown_kind": _l("Choose one of the listed options."),
    "name_required": _l("Name the holiday, as the decision names it."),
    "source_required": _l("Name the decision this rests on, e.g. Cumhurbaşkanlığı Kararı, "
                          "Resmî Gazete 12.03.2026 / 33193."),
    "too_long": _l("This is too long."),
    "control_chars": _l("Remove the invisible control characters from this field."),
    "nothing_to_cancel": _l("This day is not a holiday in the package calendar: there is "
                            "nothing to cancel."),
    "no_override": _l("There is no override for this day any more."),
    "saved_meanwhile": _l("Someone else saved an override for this day a moment ago. Check "
                          "the list and try again."),
}


def _length(limit: int):
    return Length(max=limit, message=_l("Use at most %(max)d characters."))


class OverrideForm(SafeForm):
    day = DateField(_l("Day"), validators=[InputRequired(_l("Enter the day."))])
    kind = ChoiceField(_l("The day becomes"), validators=[
        InputRequired(_l("Choose what the day becomes."))])
    name_tr = StringField(_l("Name in Turkish"), filters=[strip],
                          validators=[no_control_chars, _length(200)])
    name_en = StringField(_l("Name in English"), filters=[strip],
                          validators=[no_control_chars, _length(200)])
    source = StringField(_l("Source"), filters=[strip], validators=[
        InputRequired(OVERRIDE_ERRORS["source_required"]), no_control_chars, _length(500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", str(_l("Choose…")))] + [
            (code, str(label)) for code, label in KIND_LABELS.items()]

    def validate_day(self, field):
        if field.data is not None:
            try:
                holiday_service.check_day(field.data, to_istanbul(utcnow()).date())
            except OverrideError as error:
                raise ValidationError(OVERRIDE_ERRORS[error.why]) from None

    def _named(self, field):
        if self.kind.data in ("full", "half") and not field.data:
            raise ValidationError(OVERRIDE_ERRORS["name_required"])

    validate_name_tr = _named
    validate_name_en = _named

    def to_input(self) -> OverrideInput:
        return OverrideInput(day=self.day.data, kind=self.kind.data or "",
                             name_tr=self.name_tr.data or "", name_en=self.name_en.data or "",
                             source=self.source.data or "")


class RemoveForm(SafeForm):
    day = DateField(_l("Day"), widget=HiddenInput(), validators=[
        InputRequired(_l("Choose the override to remove."))])


def _year() -> int:
    today = to_istanbul(utcnow()).date()
    raw = request.args.get("year", "")
    latest = today.year + holiday_service.LATEST_YEARS
    if raw.isdigit() and len(raw) == 4 and FIRST_YEAR <= int(raw) <= latest:
        return int(raw)
    return today.year


def _calendar_rows(year: int, overrides) -> list[dict]:
    """Return each day of the year that is a holiday in the package or has an override."""
    lang = current_language()
    package = {h.day: h for h in HolidayCalendar().year(year)}
    by_day = {o.day: o for o in overrides}
    names = dict(db.session.execute(select(User.id, User.name).where(
        User.id.in_({o.updated_by_id for o in overrides}))).all()) if overrides else {}
    rows = []
    for day in sorted(set(package) | set(by_day)):
        held, override = package.get(day), by_day.get(day)
        effective = override.kind if override else ("half" if held.half_day else "full")
        rows.append({
            "day": day, "weekday": WEEKDAYS["en" if lang == "en" else "tr"][day.weekday()],
            "package": held.name(lang) if held else None,
            "override": override,
            "override_name": (override.name_en if lang == "en" else override.name_tr)
            if override else None,
            "saved_by": names.get(override.updated_by_id) if override else None,
            "effective": KIND_LABELS[effective] if effective != "none" else _("Not a holiday"),
            "affected": holiday_service.open_cases_around(db.session, day) if override else [],
        })
    return rows


def _page(year: int, form: OverrideForm, remove_form: RemoveForm | None = None,
          status: int = 200):
    overrides = holiday_service.overrides_in_year(db.session, year)
    rows = _calendar_rows(year, overrides)
    today = to_istanbul(utcnow()).date()
    return render_template(
        "office/holidays.html", year=year, rows=rows, form=form, remove_form=remove_form,
        kind_labels=KIND_LABELS, package_source=HOLIDAYS_SOURCE,
        office_status_label=office_status_label,
        previous_year=year - 1 if year > FIRST_YEAR else None,
        next_year=year + 1 if year < today.year + holiday_service.LATEST_YEARS else None,
    ), status


@bp.route("/admin/holidays", methods=["GET", "POST"])
@roles_required("admin")
def holidays():
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            record, what = holiday_service.save_override(
                db.session, current_user, utcnow(), form.to_input(), ip=client_ip())
            affected = len(holiday_service.open_cases_around(db.session, record.day))
            db.session.commit()
        except OverrideError as error:
            db.session.rollback()
            field = getattr(form, error.field or "", None) or form.day
            field.errors = [*field.errors, OVERRIDE_ERRORS[error.why]]
        else:
            flash(_saved_message(what, record.day, affected), "success")
            return redirect(url_for("office.holidays", year=record.day.year), code=303)
        return _page(form.day.data.year if form.day.data else _year(), form, status=400)
    if form.is_submitted():
        return _page(form.day.data.year if form.day.data and not form.day.errors else _year(),
                     form, status=400)
    return _page(_year(), form)


def _saved_message(what: str, day: date, affected: int) -> str:
    if what == "unchanged":
        return _("The override for %(day)s already says this; nothing changed.",
                 day=f"{day:%d.%m.%Y}")
    saved = (_("Override saved for %(day)s.", day=f"{day:%d.%m.%Y}") if what == "added"
             else _("Override for %(day)s replaced.", day=f"{day:%d.%m.%Y}"))
    applies = _("It applies to applications received from now on.")
    if not affected:
        return f"{saved} {applies}"
    return " ".join([saved, applies, ngettext(
        "%(num)d open case has a stored deadline on or around this day; it keeps its dates "
        "(listed below).",
        "%(num)d open cases have a stored deadline on or around this day; they keep their "
        "dates (listed below).", affected)])


@bp.post("/admin/holidays/remove")
@roles_required("admin")
def holiday_remove():
    form = RemoveForm()
    if form.validate_on_submit():
        try:
            holiday_service.remove_override(db.session, current_user, utcnow(), form.day.data,
                                            ip=client_ip())
            db.session.commit()
        except OverrideError as error:
            db.session.rollback()
            form.day.errors = [*form.day.errors, OVERRIDE_ERRORS[error.why]]
        else:
            flash(_("Override for %(day)s removed. It no longer applies to applications "
                    "received from now on; cases already received keep their dates.",
                    day=f"{form.day.data:%d.%m.%Y}"), "success")
            return redirect(url_for("office.holidays", year=form.day.data.year), code=303)
    if form.day.errors and form.day.data is None:
        form.day.errors = [_("Choose the override to remove.")]
    return _page(_year(), OverrideForm(formdata=None), form, status=400)
