"""The figures kept per community (portal/reports/kept.py) stay equal to the figures computed
from the records after every kind of write: a page, the admin, an import, a bulk generation,
a service, a history revert, a move, a delete, and a day passing. Compared on the annual
report's rows as district staff (every campaign) and street staff (published ones) see them,
by street and by community. The world is the annual report's (tests/portal/test_annual_report.py).
"""

import datetime

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from councils.models import Training, TrainingAttendance
from courtyards.models import Community, Courtyard
from funds.services import allocations_generate
from portal.kept import kept_figures, rebuild, sets
from portal.models import KeptFigures
from portal.reports import figures
from tests.councils.conftest import council  # noqa: F401
from tests.councils.factories import council_meeting
from tests.courtyards.test_edit_pages import edit_url, form_data
from tests.funds.factories import AllocationFactory, FundRateFactory, ProjectFactory
from tests.funds.test_import import EXPENDITURE_HEADERS, confirm, spending, upload, workbook
from tests.inspections.conftest import insp  # noqa: F401
from tests.portal.test_annual_report import TODAY, YEAR, _today, world  # noqa: F401

PERSONAS = ["district_staff", "street_a"]
KEYS = [figure.key for figure in figures.PER_UNIT]


def _shown(rows):
    return [(row["unit"].pk, {key: row[key] for key in KEYS}) for row in rows]


def assert_kept_rows_are_the_live_ones(people, year=YEAR):
    """The annual report's rows add up to what the records give, for every reader; and no
    row of any set (the dashboard's, the meeting reports', the concerns') was left fresh
    with other figures than the records give (`rebuild` reports such drift)."""
    for name in sets():
        assert rebuild(name, year) == [], name
    for persona in PERSONAS:
        user = getattr(people, persona)
        for row_kind in ("street", "community"):
            kept = figures._kept_rows(user, year, row_kind)
            assert kept is not None
            assert _shown(kept) == _shown(figures.live_rows(user, year, row_kind)), (
                persona,
                row_kind,
            )


def households(people, community):
    rows = figures._kept_rows(people.district_staff, YEAR, "community")
    return next(row["households"] for row in rows if row["unit"] == community)


@pytest.fixture
def kept(world, people):  # noqa: F811
    """The world with every row kept (and checked) before the write under test."""
    assert_kept_rows_are_the_live_ones(people)
    pks = list(Community.objects.values_list("pk", flat=True))
    for name in sets():
        kept_figures(name, pks, YEAR)
    assert set(KeptFigures.objects.values_list("name", flat=True)) == set(sets())
    return world


def test_a_courtyard_saved_on_its_page(kept, people, login):
    before = households(people, kept.community_a1)
    courtyard = kept.courtyard_a1
    response = login(people.community).post(
        edit_url(courtyard), form_data(courtyard, households=courtyard.households + 7)
    )
    assert response.status_code == 302
    assert households(people, kept.community_a1) == before + 7
    assert_kept_rows_are_the_live_ones(people)


def test_a_courtyard_moved_to_another_community_leaves_the_first(kept, people, login):
    courtyard = kept.courtyard_a1
    response = login(people.street_a).post(
        edit_url(courtyard), form_data(courtyard, community=kept.community_a2.pk)
    )
    assert response.status_code == 302
    assert_kept_rows_are_the_live_ones(people)


def test_a_courtyard_changed_in_the_admin(kept, people, login):
    courtyard = kept.courtyard_b1
    client = login(people.district_admin)
    url = reverse("admin:courtyards_courtyard_change", args=[courtyard.pk])
    page = client.get(url)
    data = {**page.context["adminform"].form.initial, **form_data(courtyard, households=1)}
    data = {key: "" if value is None else value for key, value in data.items()}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Courtyard.objects.get(pk=courtyard.pk).households == 1
    assert_kept_rows_are_the_live_ones(people)


def test_expenditures_imported_from_a_workbook(kept, people, login):
    ProjectFactory(courtyard=kept.courtyard_a1, year=YEAR, title="楼道照明维修")
    client = login(people.community)
    preview = upload(client, "expenditure", workbook(EXPENDITURE_HEADERS, spending("记-301", 800)))
    assert confirm(client, "expenditure", preview).status_code == 302
    assert_kept_rows_are_the_live_ones(people)


def test_allocations_generated_in_bulk(kept, people):
    rate = FundRateFactory(district=kept.district, year=YEAR + 1)
    result = allocations_generate(rate=rate, by=people.district_admin)
    assert result.created
    assert_kept_rows_are_the_live_ones(people, YEAR + 1)
    assert_kept_rows_are_the_live_ones(people)


def test_an_allocation_from_the_rate_is_counted_in_its_courtyards_community_only(kept, people):
    """Its rate applies to the whole district, but the allocation is one courtyard's money:
    the rows of the district's other communities stay fresh, not computed again."""
    rate = FundRateFactory(district=kept.district, year=YEAR + 1)  # marks the district
    versions = dict(KeptFigures.objects.values_list("pk", "version"))
    AllocationFactory(courtyard=kept.courtyard_a1, rate=rate, year=YEAR + 1)
    marked = {
        community
        for pk, community, version in KeptFigures.objects.values_list("pk", "community", "version")
        if version != versions[pk]
    }
    assert marked == {kept.community_a1.pk}
    assert_kept_rows_are_the_live_ones(people, YEAR + 1)


def test_a_meeting_recorded_through_the_service(kept, people, council):  # noqa: F811
    council_meeting(
        council.organisation,
        held_on=datetime.date(YEAR, 10, 9),
        motions=[{"title": "更换院门", "votes_for": 3, "decision": "同意"}],
    )
    assert_kept_rows_are_the_live_ones(people)


def test_allocations_revised_in_bulk_with_their_history(kept, people, login):
    """simple-history's bulk writes (bulk_update_with_history) send no signals; a history
    revert is refused in the admin (portal/admin.py), so this is history's only writer."""
    rate = FundRateFactory(district=kept.district, year=YEAR + 1)
    allocations_generate(rate=rate, by=people.district_admin)
    assert_kept_rows_are_the_live_ones(people, YEAR + 1)
    courtyard = kept.courtyard_b1
    response = login(people.street_b).post(
        edit_url(courtyard), form_data(courtyard, households=courtyard.households - 100)
    )
    assert response.status_code == 302, response.context["form"].errors
    result = allocations_generate(rate=rate, by=people.district_admin)
    assert result.updated
    assert_kept_rows_are_the_live_ones(people, YEAR + 1)


def test_a_training_deleted(kept, people):
    TrainingAttendance.objects.filter(training__community=kept.community_a1).delete()
    Training.objects.filter(community=kept.community_a1).delete()
    assert_kept_rows_are_the_live_ones(people)


def test_figures_of_the_running_year_follow_the_report_date(kept, people, monkeypatch):
    courtyard = kept.courtyard_a2
    courtyard.closed_on = TODAY + datetime.timedelta(days=1)
    courtyard.closed_reason = "拆迁"
    courtyard.save()
    assert_kept_rows_are_the_live_ones(people)
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY + datetime.timedelta(days=2))
    assert_kept_rows_are_the_live_ones(people)
    assert set(
        KeptFigures.objects.filter(name="annual", year=YEAR).values_list("as_of", flat=True)
    ) == {TODAY + datetime.timedelta(days=2)}


def test_a_write_the_portal_did_not_see_is_reported_by_the_rebuild(kept, people, capsys):
    Courtyard.objects.filter(pk=kept.courtyard_b1.pk).update(households=1)  # no signal
    with pytest.raises(CommandError):
        call_command("rebuild_figures", "--year", str(YEAR), "--quiet")
    out = capsys.readouterr().out
    community = f"九眼桥社区 (#{kept.community_b1.pk})"
    assert f"drift annual 2026 {community}: households 300 → 1" in out
    assert f"drift courtyards 2026 {community}: households 300 → 1" in out
    assert "2 kept rows had drifted" in out
    assert_kept_rows_are_the_live_ones(people)
    call_command("rebuild_figures", "--year", str(YEAR), "--quiet")
    assert "0 kept rows had drifted" in capsys.readouterr().out


def test_the_report_page_shows_a_save_at_once(kept, people, login):
    client = login(people.district_staff)
    caches["figures"].clear()
    page = client.get(reverse("annual_report"), {"year": YEAR})
    before = page.context["report"].totals["households"]
    courtyard = kept.courtyard_a1
    response = login(people.community).post(
        edit_url(courtyard), form_data(courtyard, households=courtyard.households - 1)
    )
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(reverse("annual_report"), {"year": YEAR})
    assert page.context["report"].totals["households"] == before - 1
