"""Every inspection URL, tried by every persona: a page that forgets its check fails here.

200: shown; 302: sent to log in; 403: may see the record but not do this; 404: may not see
it (another scope, another group, or results not yet published)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections import services
from tests.inspections.factories import days_ago, make_campaign, make_group, problem, record

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PERSONAS = [
    "anonymous",
    "no_role",
    "district_admin",
    "district_staff",
    "inspector",
    "outsider",
    "street_a",
    "street_b",
    "community",
]


@pytest.fixture
def world(insp, people, geo):
    """The insp campaign under way with a visit per group; a closed campaign with a
    published bulletin (street A, B and the community may read it) and one with a draft."""
    visit = record(insp.a1, 40, 10, 10, by=people.inspector)
    record(insp.b1, 40, 10, 10, by=insp.outsider)
    rect = problem(visit, people.inspector)
    problem(visit, people.inspector, community=geo.community_b1)
    note = services.rectification_report(
        rectification=rect,
        noted_on=days_ago(0),
        text="进展",
        evidence=SimpleUploadedFile("佐证.jpg", JPEG),
        by=people.community,
    )
    photo = services.inspection_add_photo(
        inspection=visit, file=SimpleUploadedFile("现场.jpg", JPEG), by=people.inspector
    )
    bulletins = {}
    for title, publish in [("已发布督查", True), ("草稿督查", False)]:
        last_year = insp.campaign.year - 1
        campaign = make_campaign(
            geo.district,
            people.district_staff,
            title=title,
            year=last_year,
            starts_on=datetime.date(last_year, 5, 1),
            ends_on=datetime.date(last_year, 6, 1),
        )
        make_group(campaign, "一组", people.inspector, courtyards=[geo.courtyard_a2])
        services.campaign_start(campaign=campaign, by=people.district_staff)
        services.campaign_close(
            campaign=campaign, closed_on=datetime.date(last_year, 6, 2), by=people.district_staff
        )
        bulletin = services.bulletin_create(campaign=campaign, by=people.district_staff)
        if publish:
            services.bulletin_publish(bulletin=bulletin, by=people.district_staff)
        bulletins[publish] = bulletin
    return {
        "campaign": insp.campaign,
        "target": insp.a1,
        "visit": visit,
        "rect": rect,
        "note": note,
        "photo": photo,
        "published": bulletins[True],
        "draft": bulletins[False],
        "group": insp.group1,
    }


ALL_ROLES = {p: 200 for p in PERSONAS if p not in ("anonymous", "no_role")}
GROUP_1 = {
    "district_admin": 200,
    "district_staff": 200,
    "inspector": 200,
    "outsider": 404,
    "street_a": 404,
    "street_b": 404,
    "community": 404,
    "no_role": 404,
}
CAMPAIGN = {**GROUP_1, "outsider": 200}
# Planning (新建督查, groups, targets) is the district's: the other roles lack the model
# permissions (inspections/apps.py) and are refused before the campaign is looked up.
PLANNERS = {p: 403 for p in PERSONAS} | {"district_admin": 200, "district_staff": 200}

MATRIX = [
    ("inspections:campaigns", None, {**ALL_ROLES, "no_role": 403}),
    ("inspections:campaign", "campaign", CAMPAIGN),
    ("inspections:campaign_create", None, PLANNERS),
    ("inspections:campaign_edit", "campaign", PLANNERS),
    ("inspections:campaign_groups", "campaign", PLANNERS),
    ("inspections:group_create", "campaign", PLANNERS),
    ("inspections:group_edit", "group", PLANNERS),
    ("inspections:campaign_plan", "campaign", PLANNERS),
    ("inspections:campaign_targets", "campaign", CAMPAIGN),
    ("inspections:campaign_visits", "campaign", CAMPAIGN),
    ("inspections:visit_record", "target", GROUP_1),
    ("inspections:visit", "visit", GROUP_1),
    ("inspections:visit_edit", "visit", GROUP_1),
    ("inspections:photo", "photo", GROUP_1),
    ("inspections:rectifications", None, {**ALL_ROLES, "no_role": 403}),
    ("inspections:rectification_overview", None, {**ALL_ROLES, "no_role": 403}),
    ("inspections:rectification", "rect", {**GROUP_1, "street_a": 200, "community": 200}),
    ("inspections:evidence", "note", {**GROUP_1, "street_a": 200, "community": 200}),
    ("inspections:bulletins", None, {**ALL_ROLES, "no_role": 403}),
    ("inspections:bulletin", "published", {**ALL_ROLES, "no_role": 404}),
    ("inspections:bulletin_print", "published", {**ALL_ROLES, "no_role": 404}),
    ("inspections:bulletin_workbook", "published", {**ALL_ROLES, "no_role": 404}),
    (
        "inspections:bulletin",
        "draft",
        {p: 404 for p in PERSONAS} | {"district_admin": 200, "district_staff": 200},
    ),
]


def _client(persona, people, insp, login, client):
    if persona == "anonymous":
        return client
    user = insp.outsider if persona == "outsider" else getattr(people, persona)
    return login(user)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_answers_each_persona_as_it_should(world, people, insp, login, client, persona):
    browser = _client(persona, people, insp, login, client)
    wrong = []
    for name, key, expected in MATRIX:
        url = reverse(name, args=[world[key].pk] if key else [])
        status = browser.get(url).status_code
        want = 302 if persona == "anonymous" else expected[persona]
        if status != want:
            wrong.append(f"{name} {key}: {status}, expected {want}")
    assert not wrong


WRITES = [
    ("inspections:campaign_start", "campaign", {}),
    ("inspections:campaign_close", "campaign", {"closed_on": "2000-01-01"}),
    ("inspections:bulletin_publish", "draft", {}),
    ("inspections:visit_add_problem", "visit", {"problem": "x", "deadline": "2099-01-01"}),
    ("inspections:rectification_verify", "rect", {"decision": "accept"}),
    ("inspections:bulletin_create", "campaign", {}),
    ("inspections:visit_add_photo", "visit", {}),
]
# Planning, as a hand-made request would send it.
PLAN_WRITES = [
    ("inspections:campaign_create", None, {"title": "x", "year": "2000"}),
    ("inspections:campaign_edit", "campaign", {"title": "x", "year": "2000"}),
    ("inspections:group_create", "campaign", {"name": "x"}),
    ("inspections:group_edit", "group", {"name": "x"}),
    ("inspections:campaign_plan", "campaign", {"do-action": "remove", "do-chosen": ["1"]}),
]
# Reporting progress is the responsible community's job; others may not.
REPORT_WRITES = [
    ("inspections:rectification_report", "rect", {"noted_on": "2000-01-01", "text": "x"}),
]


@pytest.mark.parametrize(
    "persona", ["inspector", "outsider", "street_a", "street_b", "community", "no_role"]
)
def test_writes_by_those_who_may_not_are_refused_and_change_nothing(
    world, people, insp, login, client, persona
):
    from inspections.models import Assignment, Bulletin, Campaign, GroupMember, Rectification

    def stored():
        return (
            list(Campaign.objects.values_list("status", "title", "year").order_by("pk")),
            list(Bulletin.objects.values_list("status", flat=True).order_by("pk")),
            list(Rectification.objects.values_list("status", flat=True).order_by("pk")),
            list(insp.campaign.groups.values_list("pk", "name").order_by("pk")),
            list(GroupMember.objects.values_list("pk", flat=True).order_by("pk")),
            list(Assignment.objects.values_list("pk", "group", flat=False).order_by("pk")),
        )

    browser = _client(persona, people, insp, login, client)
    before = stored()
    writes = WRITES + PLAN_WRITES + (REPORT_WRITES if persona != "community" else [])
    if persona in ("inspector", "street_a"):  # they may do some of the others
        writes = PLAN_WRITES
    for name, key, data in writes:
        response = browser.post(reverse(name, args=[world[key].pk] if key else []), data)
        assert response.status_code in (403, 404), (name, response.status_code)
    assert before == stored()


def test_a_get_on_a_post_only_url_answers_405_and_anonymous_users_still_log_in(
    world, people, login, client
):
    staff = login(people.district_staff)
    for name, key, _data in WRITES + REPORT_WRITES:
        url = reverse(name, args=[world[key].pk])
        response = staff.get(url)
        assert response.status_code == 405, name
        assert response["Allow"] == "POST", name
        assert "不能单独打开" in response.content.decode(), name  # the portal's page, in Chinese
        assert client.get(url).status_code == 302, name


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("district_staff", 200),
        ("street_a", 200),
        # roles without the back office (portal.access.may_use_back_office): 403
        ("inspector", 403),
        ("outsider", 403),
        ("community", 403),
        ("no_role", 403),
    ],
)
def test_each_admin_changelist_opens_for_roles_with_a_view_permission(
    world, people, insp, login, persona, expected
):
    browser = _client(persona, people, insp, login, None)
    for model in ["campaign", "inspection", "rectification", "bulletin"]:
        response = browser.get(reverse(f"admin:inspections_{model}_changelist"))
        assert response.status_code == expected, model
