"""A clashing tracking number is retried, not turned into an error for the applicant."""

from kvkk_tracker.services import intake

from ..builders import api_payload
from ..conftest import count_applications


def test_a_clashing_tracking_number_is_replaced_by_a_fresh_one(app, client, monkeypatch):
    first = client.post("/api/v1/requests", json=api_payload()).get_json()["tracking_no"]
    fresh = "KVKK-2026-ZZZZ-ZZZZ"
    numbers = iter([first, first, fresh])
    monkeypatch.setattr(intake, "new_tracking_no", lambda year: next(numbers))
    response = client.post("/api/v1/requests", json=api_payload())
    assert response.status_code == 201
    assert response.get_json()["tracking_no"] == fresh
    assert count_applications(app) == 2
