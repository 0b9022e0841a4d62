"""Staff forms get the same protection as the public ones: odd posts are 4xx, never 500."""

import io

import pytest


@pytest.mark.parametrize("path", ["/login", "/login/totp"])
def test_a_file_in_a_text_field_is_not_a_server_error(client, path):
    response = client.post(path, data={"email": (io.BytesIO(b"x"), "a.txt"),
                                       "password": (io.BytesIO(b"x"), "b.txt"),
                                       "code": (io.BytesIO(b"1"), "c.txt")},
                           content_type="multipart/form-data")
    assert 300 <= response.status_code < 500


def test_a_json_body_to_the_login_form_is_not_a_server_error(client):
    response = client.post("/login", json={"email": ["x"], "password": {"a": 1}})
    assert response.status_code == 400


def test_forbidden_pages_say_no_access(client):
    from tests.office.conftest import login, make_user

    login(client, make_user(client.application, "auditor"))
    response = client.get("/office/admin/users?lang=en")
    assert response.status_code == 403
    assert "No access" in response.get_data(as_text=True)
