"""An admin's override moves the deadlines of applications received after it, and no other."""

from __future__ import annotations

import json
from datetime import timedelta

from kvkk_tracker.domain.calendar import HolidayCalendar
from tests.office.conftest import load, login, make_user, new_application, text

from .conftest import (
    SOURCE,
    add_override,
    holiday_events,
    log_application,
    override_form,
    stored_overrides,
    today,
    working_day_due,
)


def test_an_extra_holiday_rolls_new_cases_and_leaves_received_ones(app, admin, admin_client):
    k, due = working_day_due()
    before_no, _code = new_application(app, received_days_ago=k)
    before = load(app, before_no)
    assert (before.statutory_due, before.outer_due) == (due, due)

    response = admin_client.post("/office/admin/holidays", data=override_form(due))
    assert response.status_code == 303
    page = text(admin_client.get(response.headers["Location"]))
    assert "Override saved for" in page and "1 open case has a stored deadline" in page

    # A new application received so that it is due on that day: the outer limit rolls on.
    officer = make_user(app, "officer")
    after = log_application(app, officer, due - timedelta(days=30))
    assert after.statutory_due == due
    assert after.outer_due == due + timedelta(days=1)
    # Its deadline explanation names the override and the decision it rests on, in both
    # languages, as stored at receipt.
    supervisor = login(app.test_client(), make_user(app, "supervisor"))
    case_page = text(supervisor.get(f"/office/cases/{after.tracking_no}"))
    day, next_day = f"{due:%d.%m.%Y}", f"{due + timedelta(days=1):%d.%m.%Y}"
    assert (f"{day} Extra public holiday (source: {SOURCE}) (holiday) → {next_day}"
            in case_page)
    supervisor.set_cookie("lang", "tr")
    case_page = text(supervisor.get(f"/office/cases/{after.tracking_no}"))
    assert f"{day} Ek resmî tatil (kaynak: {SOURCE}) (resmî tatil) → {next_day}" in case_page

    # The case received before the override keeps its stored dates and reasons ...
    kept = load(app, before_no)
    assert (kept.statutory_due, kept.outer_due) == (due, due)
    assert kept.deadline_basis == before.deadline_basis
    # ... and the admin page lists it, with the new one, as open around the day.
    page = text(admin_client.get(f"/office/admin/holidays?year={due.year}"))
    affected = page.split(f'data-testid="affected-cases" data-day="{due.isoformat()}"')[1]
    affected = affected.split("</table>")[0]
    assert before_no in affected and after.tracking_no in affected
    assert "applies only to applications received after you save it" in page

    [event] = holiday_events(app)
    assert event.action == "holiday.override_added"
    assert event.actor == f"user:{admin.id}"
    assert event.data["source"] == SOURCE and event.data["kind"] == "full"
    assert event.data["day"] == due.isoformat()
    assert sorted(event.data["open_cases_around"]) == sorted([before_no])


def test_a_none_override_cancels_a_package_holiday(app, admin, runner):
    package = HolidayCalendar()
    # The next full-day package holiday on a weekday, with a working day after it.
    holiday = next(d for d in (today() + timedelta(days=n) for n in range(1, 400))
                   if d.weekday() < 5 and package.is_full_holiday(d))
    received = (holiday - timedelta(days=30)).isoformat()

    def outer_due() -> str:
        result = runner.invoke(args=["deadline", received, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["outer_due"]

    assert outer_due() > holiday.isoformat()
    add_override(app, admin, holiday, "none", name_tr="", name_en="")
    assert outer_due() == holiday.isoformat()
    [stored] = stored_overrides(app)
    assert (stored.kind, stored.source) == ("none", SOURCE)


def test_a_half_day_override_sets_the_noon_cut_off(app, admin):
    k, due = working_day_due()
    add_override(app, admin, due, "half", name_tr="Yarım gün", name_en="Half day")
    application = log_application(app, make_user(app, "officer"), due - timedelta(days=30))
    assert (application.outer_due, application.cutoff) == (due, "12:00")


def test_replacing_and_removing_are_audited_and_move_no_stored_date(app, admin, admin_client):
    k, due = working_day_due()
    add_override(app, admin, due)
    # Received under the override, through the office log.
    held = log_application(app, make_user(app, "officer"), due - timedelta(days=30)).tracking_no
    assert load(app, held).outer_due == due + timedelta(days=1)

    response = admin_client.post("/office/admin/holidays", data=override_form(
        due, kind="half", name_tr="Yarım gün", name_en="Half day"))
    assert response.status_code == 303
    assert "replaced" in text(admin_client.get(response.headers["Location"]))
    [stored] = stored_overrides(app)
    assert stored.kind == "half"

    # The same values again change nothing and write no event.
    response = admin_client.post("/office/admin/holidays", data=override_form(
        due, kind="half", name_tr="Yarım gün", name_en="Half day"))
    assert "nothing changed" in text(admin_client.get(response.headers["Location"]))

    response = admin_client.post("/office/admin/holidays/remove", data={"day": due.isoformat()})
    assert response.status_code == 303
    assert stored_overrides(app) == []
    assert "removed" in text(admin_client.get(response.headers["Location"]))

    added, replaced, removed = holiday_events(app)
    assert (added.action, replaced.action, removed.action) == (
        "holiday.override_added", "holiday.override_replaced", "holiday.override_removed")
    assert replaced.data["from"]["kind"] == "full" and replaced.data["kind"] == "half"
    assert removed.data["kind"] == "half" and removed.data["source"] == SOURCE
    assert held in removed.data["open_cases_around"]
    # The case received while the override stood keeps the date it was given.
    assert load(app, held).outer_due == due + timedelta(days=1)


def test_the_year_page_shows_the_package_calendar_in_turkish(app, admin_client):
    admin_client.set_cookie("lang", "tr")
    page = text(admin_client.get("/office/admin/holidays?year=2026"))
    assert "20.03.2026 Cuma" in page and "Ramazan Bayramı" in page
    assert "19.03.2026 Perşembe" in page and "yarım gün" in page.lower()
    assert "holidays 0." in page  # the package and its version
    # The other admin links and this one sit together in the navigation.
    assert 'href="/office/admin/holidays"' in page


def test_years_out_of_range_or_malformed_show_this_year(admin_client):
    for query in ("?year=1999", "?year=99999", "?year=abc", "?year=-1", "?year=%00"):
        page = text(admin_client.get(f"/office/admin/holidays{query}"))
        assert f"{today().year}" in page.split("<h1>")[1].split("</h1>")[0]
