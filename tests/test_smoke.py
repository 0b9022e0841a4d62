from .conftest import count_applications


def test_home_page_is_turkish_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="tr"' in response.get_data(as_text=True)


def test_builder_stores_an_application(app, create_application):
    tracking_no, code = create_application()
    assert tracking_no.startswith("KVKK-2026-")
    assert count_applications(app) == 1
