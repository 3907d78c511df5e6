"""Every page of the apps is guarded before any record is looked up: a visitor is sent to the
login page, whatever record the address names. What each role meets on each page is pinned
by the permission matrices (tests/*/test_permission_matrix.py)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages for residents without an account, and the portal's own pages.
OPEN = {
    "public_courtyard",
    "public_community",
    "councils:public_meeting",
    "dashboard",
    "annual_report",
    "health",
    "favicon",
    "login",
    "logout",
}


def app_pages(resolver=None, prefix="", namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) == "admin/":
                continue
            yield from app_pages(
                pattern, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if name not in OPEN:
                yield name, "/" + (prefix + str(pattern.pattern)).replace("<int:pk>", "1")


PAGES = sorted(app_pages())


def test_the_walk_finds_the_pages_of_every_app():
    apps = {name.split(":")[0] for name, _path in PAGES if ":" in name}
    assert apps == {
        "courtyards",
        "councils",
        "funds",
        "inspections",
        "concerns",
        "notices",
        "assessments",
        "commendations",
        "reminders",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), PAGES)
def test_a_visitor_is_sent_to_log_in(client, name, path):
    response = client.get(path)
    assert response.status_code == 302, name
    assert response["Location"].startswith("/accounts/login/"), name
