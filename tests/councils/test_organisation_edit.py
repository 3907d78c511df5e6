"""Editing an organisation's own facts and the courtyards it covers on its portal page
(what its admin change form offered), as each persona meets it."""

import datetime

import pytest
from django.urls import reverse

from councils.models import Coverage, Organisation
from courtyards.models import Courtyard
from tests.councils.factories import organisation_for


def edit_url(organisation):
    return reverse("councils:organisation_edit", args=[organisation.pk])


def form_data(client, organisation, **changes):
    """What the page posts: the form as it was opened (every field, the version seen,
    the coverage rows with their ids), with `changes` by field name."""
    response = client.get(edit_url(organisation))
    assert response.status_code == 200
    data = {}
    forms = [response.context["form"]]
    coverage = response.context["coverage"]
    if coverage is not None:
        forms += list(coverage.forms)
        management = coverage.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    for form in forms:
        for field in form:
            value = field.value()
            if value is None:
                value = ""
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            data[field.html_name] = value
    return {**data, **changes}


def saved(organisation):
    organisation.refresh_from_db()
    coverage = list(
        Coverage.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list("courtyard", "started_on", "ended_on")
    )
    return organisation.name, organisation.set_up_on, organisation.note, coverage


@pytest.fixture
def organisation(geo):
    return organisation_for(geo.courtyard_a1, name="锦里12号院自治组织")


def test_a_community_member_edits_the_organisation_and_its_courtyards(
    geo, people, login, organisation
):
    client = login(people.community)
    detail = client.get(organisation.get_absolute_url()).content.decode()
    assert edit_url(organisation) in detail
    assert f"admin/councils/organisation/{organisation.pk}/change" not in detail
    neighbour = Courtyard.objects.get(name="电力局宿舍")
    data = form_data(
        client,
        organisation,
        **{
            "organisation-name": "锦里联合自治组织",
            "organisation-note": "两院合并筹备",
            "coverage-1-courtyard": neighbour.pk,
            "coverage-1-started_on": "2024-05-01",
        },
    )
    response = client.post(edit_url(organisation), data)
    assert response.status_code == 302 and response.url == organisation.get_absolute_url()
    name, _set_up_on, note, coverage = saved(organisation)
    assert (name, note) == ("锦里联合自治组织", "两院合并筹备")
    assert (neighbour.pk, datetime.date(2024, 5, 1), None) in coverage
    latest = organisation.history.order_by("-history_id").first()
    assert latest.history_user == people.community and latest.name == "锦里联合自治组织"
    added = Coverage.objects.get(courtyard=neighbour)
    assert added.history.get().history_user == people.community
    assert "锦里联合自治组织" in client.get(response.url).content.decode()


def test_a_courtyard_leaving_is_an_end_date_kept_in_the_history(geo, people, login, organisation):
    client = login(people.community)
    row = Coverage.objects.get(organisation=organisation)
    response = client.post(
        edit_url(organisation),
        form_data(client, organisation, **{"coverage-0-ended_on": "2025-01-01"}),
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.ended_on == datetime.date(2025, 1, 1)
    assert row.history.order_by("-history_id").first().history_user == people.community
    assert Coverage.objects.filter(organisation=organisation).count() == 1  # never deleted


def test_another_communitys_organisation_is_not_found(geo, people, login):
    other = organisation_for(geo.courtyard_a2)
    before = saved(other)
    client = login(people.community)
    assert client.get(edit_url(other)).status_code == 404
    assert client.post(edit_url(other), {"organisation-name": "越权"}).status_code == 404
    assert saved(other) == before


def test_an_inspector_may_not_edit(geo, people, login, organisation):
    client = login(people.inspector)
    before = saved(organisation)
    assert client.get(edit_url(organisation)).status_code == 403
    assert client.post(edit_url(organisation), {"organisation-name": "x"}).status_code == 403
    assert saved(organisation) == before
    detail = client.get(organisation.get_absolute_url()).content.decode()
    assert edit_url(organisation) not in detail


def test_district_staff_edit_the_facts_but_not_the_coverage(geo, people, login, organisation):
    """They change organisations (accepting them) but only read coverage, as in the admin."""
    client = login(people.district_staff)
    response = client.get(edit_url(organisation))
    assert response.context["coverage"] is None
    assert "coverage-TOTAL_FORMS" not in response.content.decode()
    data = form_data(client, organisation, **{"organisation-note": "区级备注"})
    data["coverage-0-ended_on"] = "2025-01-01"  # a hand-made POST: ignored
    assert client.post(edit_url(organisation), data).status_code == 302
    _name, _set_up_on, note, coverage = saved(organisation)
    assert note == "区级备注" and coverage[0][2] is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"organisation-set_up_on": "去年三月"}, "输入一个有效的日期"),
        ({"organisation-name": ""}, "这个字段是必填项"),
        ({"organisation-set_up_on": "2099-01-01"}, "该日期晚于今天"),
        ({"coverage-0-ended_on": "2020-01-01"}, "结束"),  # before it started
        # a courtyard of another community is not offered
        (
            {"coverage-1-courtyard": "COURTYARD_A2", "coverage-1-started_on": "2024-01-01"},
            "选择一个有效的选项",
        ),
        # the courtyard is covered already: two open rows
        (
            {"coverage-1-courtyard": "COURTYARD_A1", "coverage-1-started_on": "2024-01-01"},
            "COVERED",
        ),
        ({"coverage-0-started_on": "三月"}, "输入一个有效的日期"),
    ],
)
def test_wrong_input_is_named_in_chinese_and_changes_nothing(
    geo, people, login, organisation, changes, message
):
    client = login(people.community)
    changes = {
        key: {"COURTYARD_A1": geo.courtyard_a1.pk, "COURTYARD_A2": geo.courtyard_a2.pk}.get(
            value, value
        )
        for key, value in changes.items()
    }
    before = saved(organisation)
    versions = organisation.history.count(), Coverage.history.count()
    response = client.post(edit_url(organisation), form_data(client, organisation, **changes))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary, "the error summary lists the problem"
    text = " ".join(item["message"] for item in summary)
    if message == "COVERED":
        assert "该院落已属于一个未解散的院落自治组织" in text or "该院落在这段时间" in text, text
    elif message:
        assert message in text, text
    assert not any("a" <= c.lower() <= "z" for c in text), text  # Chinese only
    assert "error-summary" in response.content.decode()
    assert saved(organisation) == before
    assert (organisation.history.count(), Coverage.history.count()) == versions


def test_a_set_up_date_after_the_establishment_is_refused(council, people, login):
    organisation = council.organisation
    client = login(people.community)
    before = saved(organisation)
    response = client.post(
        edit_url(organisation),
        form_data(client, organisation, **{"organisation-set_up_on": "2023-04-01"}),
    )
    assert response.status_code == 200
    text = " ".join(item["message"] for item in response.context["summary"])
    assert "成立" in text, text
    assert saved(organisation) == before


def test_a_save_after_someone_elses_is_refused(geo, people, login, organisation):
    client = login(people.community)
    stale = form_data(client, organisation, **{"organisation-note": "我的备注"})
    other = login(people.street_a)
    other.post(
        edit_url(organisation), form_data(other, organisation, **{"organisation-note": "街道"})
    )
    response = client.post(edit_url(organisation), stale)
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.note == "街道"
    assert Organisation.objects.get().note == "街道"
