import pytest
from django.apps import apps
from django.urls import reverse


def published_notice(request, courtyard):
    if courtyard.name == "锦里12号院":
        return {"template": "portal/_test_notice.html"}
    return None


@pytest.fixture
def a_public_panel(monkeypatch, settings, tmp_path):
    (tmp_path / "portal").mkdir()
    (tmp_path / "portal" / "_test_notice.html").write_text("<p>公示内容</p>", encoding="utf-8")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    config = apps.get_app_config("courtyards")
    monkeypatch.setattr(
        config, "panels", {"public": [f"{__name__}.published_notice"]}, raising=False
    )


def test_a_courtyard_with_nothing_published_is_not_found(geo, client):
    url = reverse("public_courtyard", args=[geo.courtyard_a1.pk])
    assert client.get(url).status_code == 404


def test_residents_read_what_was_published_without_logging_in(geo, client, a_public_panel):
    response = client.get(reverse("public_courtyard", args=[geo.courtyard_a1.pk]))
    assert response.status_code == 200
    assert "公示内容" in response.content.decode()
    assert client.get(reverse("public_courtyard", args=[geo.courtyard_b1.pk])).status_code == 404
