"""The override form refuses bad input field by field, in Turkish and English; only admins."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlparse

import pytest

from kvkk_tracker.clock import utcnow
from kvkk_tracker.extensions import db
from kvkk_tracker.models import User
from kvkk_tracker.services import holidays as holiday_service
from kvkk_tracker.services.cases import Forbidden
from tests.office.conftest import login, make_user, text

from .builders import holiday_override
from .conftest import PACKAGE, holiday_events, override_form, stored_overrides, today


def a_working_day() -> date:
    day = today() + timedelta(days=10)
    while not PACKAGE.is_working_day(day):
        day += timedelta(days=1)
    return day


# (field, value, English message, Turkish message)
CASES = [
    ("day", "", "Enter the day.", "Günü girin."),
    ("day", "31.02.2026", "Not a valid date value.", "Geçerli bir tarih değeri değil."),
    ("day", (date.today() - timedelta(days=800)).isoformat(),
     "Choose a day from one year ago up to ten years ahead.",
     "Bir yıl öncesinden on yıl sonrasına kadar bir gün seçin."),
    ("day", "9999-12-31", "Choose a day from one year ago up to ten years ahead.",
     "Bir yıl öncesinden on yıl sonrasına kadar bir gün seçin."),
    ("kind", "", "Choose what the day becomes.", "Günün ne olacağını seçin."),
    ("kind", "holiday", "Choose one of the listed options.",
     "Listedeki seçeneklerden birini seçin."),
    ("name_tr", "", "Name the holiday, as the decision names it.",
     "Tatili, kararda adlandırıldığı gibi adlandırın."),
    ("name_en", "   ", "Name the holiday, as the decision names it.",
     "Tatili, kararda adlandırıldığı gibi adlandırın."),
    ("source", "", "Name the decision this rests on",
     "Dayanağı olan kararı yazın"),
    ("source", "x" * 501, "Use at most 500 characters.", "En fazla 500 karakter kullanın."),
    ("name_tr", "a\x00b", "Remove the invisible control characters from this field.",
     "Bu alandaki görünmeyen kontrol karakterlerini silin."),
    ("kind", "none", "This day is not a holiday in the package calendar: there is nothing "
     "to cancel.", "Bu gün paket takviminde tatil değil: iptal edilecek bir şey yok."),
]


@pytest.mark.parametrize(("field", "value", "english", "turkish"), CASES)
def test_bad_input_is_a_field_error_in_both_languages_and_keeps_what_was_typed(
        app, admin_client, field, value, english, turkish):
    data = override_form(a_working_day(), **{field: value})
    for lang, message in (("en", english), ("tr", turkish)):
        admin_client.set_cookie("lang", lang)
        response = admin_client.post("/office/admin/holidays", data=data)
        assert response.status_code == 400
        page = text(response)
        errors = page.split(f'id="{field}-error"')[1].split("</ul>")[0]
        assert message.replace("'", "&#39;") in errors, errors
        assert f'aria-describedby="{field}-hint {field}-error"' in page or \
            f'aria-describedby="{field}-error"' in page
        # What was typed is shown again (what could be typed into a text field).
        if field != "name_tr":
            assert "value=\"Extra public holiday\"" in page or field == "name_en"
        if field == "source" and value:
            assert 'value="xxxxxxxxxx' in page
    assert stored_overrides(app) == []
    assert holiday_events(app) == []


def test_removing_a_day_without_an_override_says_so(app, admin_client):
    for lang, message in (("en", "There is no override for this day any more."),
                          ("tr", "Bu gün için artık bir düzeltme kaydı yok.")):
        admin_client.set_cookie("lang", lang)
        response = admin_client.post("/office/admin/holidays/remove",
                                     data={"day": a_working_day().isoformat()})
        assert response.status_code == 400
        assert message in text(response)
    admin_client.set_cookie("lang", "en")
    for garbage in ("", "abc\x00", "9" * 40):
        response = admin_client.post("/office/admin/holidays/remove", data={"day": garbage})
        assert response.status_code == 400
        assert "Choose the override to remove." in text(response)
    assert holiday_events(app) == []


ROUTES = [("GET", "/office/admin/holidays"), ("POST", "/office/admin/holidays"),
          ("POST", "/office/admin/holidays/remove")]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_only_admins_reach_the_holidays(app, method, path):
    anonymous = app.test_client().open(path, method=method, data={})
    assert anonymous.status_code == 302
    assert urlparse(anonymous.headers["Location"]).path == "/login"
    for role in ("officer", "supervisor", "auditor"):
        client = login(app.test_client(), make_user(app, role))
        assert client.open(path, method=method, data={}).status_code == 403, role
    admin = login(app.test_client(), make_user(app, "admin"))
    assert admin.open(path, method=method, data={}).status_code == (
        200 if method == "GET" else 400)


def test_the_navigation_links_the_page_for_admins_only(app):
    admin = login(app.test_client(), make_user(app, "admin"))
    assert 'href="/office/admin/holidays"' in text(admin.get("/office/admin/users"))
    supervisor = login(app.test_client(), make_user(app, "supervisor"))
    assert "/office/admin/holidays" not in text(supervisor.get("/office/"))


def test_the_service_refuses_anyone_but_an_admin(app):
    officer = make_user(app, "supervisor")
    with app.app_context():
        user = db.session.get(User, officer.id)
        with pytest.raises(Forbidden):
            holiday_service.save_override(db.session, user, utcnow(), holiday_service
                                          .OverrideInput(a_working_day(), "full", "a", "b", "c"))
        with pytest.raises(Forbidden):
            holiday_service.remove_override(db.session, user, utcnow(), a_working_day())


def test_two_admins_saving_the_same_day_at_once_get_a_message_not_an_error(app, admin):
    """The second insert meets the unique day (as on PostgreSQL, where both saw no row)."""
    day = a_working_day()
    holiday_override(app, admin, day)
    with app.app_context():
        user = db.session.get(User, admin.id)
        # The lookup misses the row the other admin just committed.
        with pytest.MonkeyPatch.context() as patch, \
                pytest.raises(holiday_service.OverrideError) as refused:
            patch.setattr(db.session, "scalar", lambda *_args, **_kwargs: None)
            holiday_service.save_override(db.session, user, utcnow(), holiday_service
                                          .OverrideInput(day, "half", "a", "b", "c"))
        assert refused.value.why == "saved_meanwhile"
        db.session.rollback()
    [stored] = stored_overrides(app)
    assert stored.kind == "full"
