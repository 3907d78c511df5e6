"""Every page that reads ?year= answers a year it cannot use with the current year, never a
server error (issue 16, finding 6): one parser, portal.params.year_param."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from portal.params import year_param

YEARS = ["99999", "-5", "0", "1", "10000", "abc", "", "2026.5", "1e3", "９９", "2026\u0661"]
YEARS += [" 2026 "]


def pages(geo):
    return [
        reverse("councils:trainings"),
        reverse("councils:research"),
        reverse("funds:report"),
        reverse("funds:projects"),
        reverse("funds:street", args=[geo.street_a.pk]),
        reverse("funds:community", args=[geo.community_a1.pk]),
        reverse("funds:courtyard", args=[geo.courtyard_a1.pk]),
        reverse("annual_report"),
    ]


@pytest.mark.parametrize("year", YEARS)
def test_no_year_in_the_address_makes_a_server_error(people, geo, login, year):
    client = login(people.district_admin)
    for url in pages(geo):
        response = client.get(url, {"year": year})
        assert response.status_code == 200, (url, year, response.status_code)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2024", 2024), ("2000", 2000), ("2100", 2100), ("1999", None), ("2101", None)]
    + [(raw, None) for raw in YEARS if raw != " 2026 "]
    + [(" 2026 ", 2026)],
)
def test_the_parser_keeps_years_in_range_and_falls_back_to_this_year(raw, expected):
    request = RequestFactory().get("/", {"year": raw})
    assert year_param(request) == (expected or timezone.localdate().year)
    assert year_param(request, default=2020) == (expected or 2020)
