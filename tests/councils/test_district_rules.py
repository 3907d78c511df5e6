"""The district's rules (docs/rules.md): read with their defaults, changed by a district
administrator in the admin with history, and applied to quorum, adoption, terms and the
notice period; and the open-air consultation (坝坝会), which takes no vote of households."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from councils.models import DistrictRules, Meeting, Motion, rules_for
from councils.services import meetings as services
from funds.models import approving_resolutions
from tests.councils.factories import council_meeting
from tests.factories import DistrictFactory

DAY = datetime.date(2024, 5, 10)
FIELDS = {"held_on": DAY, "place": "院坝", "chair": "召集人", "recorder": "记录员"}


def residents_meeting(organisation, *, present, votes_for):
    return services.meeting_record(
        organisation=organisation,
        kind="meeting",
        minutes=services.Minutes(
            fields=dict(FIELDS),
            motions=[{"title": "院落公约", "votes_for": votes_for}],
            households_present=present,
        ),
        by=None,
    )


def consultation(organisation, motions, *, present=20):
    return services.meeting_record(
        organisation=organisation,
        kind="consultation",
        minutes=services.Minutes(
            fields={**FIELDS, "participants": "社区网格员"},
            motions=motions,
            participants_count=present,
        ),
        by=None,
    )


# Reading the rules


def test_a_district_without_a_row_has_the_defaults_of_the_seeds_and_the_law(geo):
    rules = rules_for(geo.district)
    assert rules.households_per_representative is None  # no seed sets one for courtyards
    assert rules.term_years == 5  # 组织法第八条 (2018): 居民委员会每届任期五年
    assert (rules.quorum_percent, rules.adoption_percent) == (50, 50)  # 组织法第十条: 过半数
    assert rules.notice_days == 7 and not rules.set_by_district


def test_a_districts_row_is_read_for_it_alone(geo):
    DistrictRules.objects.create(
        district=geo.district,
        households_per_representative_min=30,
        households_per_representative_max=150,
        term_years=3,
    )
    assert rules_for(geo.district).households_per_representative == (30, 150)
    assert rules_for(geo.district).term_years == 3
    assert rules_for(DistrictFactory(name="青羊区")).term_years == 5


@pytest.mark.parametrize(
    "values",
    [
        {"households_per_representative_min": 30},
        {"households_per_representative_min": 200, "households_per_representative_max": 50},
        {"term_years": 0},
        {"quorum_percent": 100},
        {"notice_days": 0},
    ],
)
def test_a_rule_out_of_range_is_refused(geo, values):
    with pytest.raises(ValidationError):
        DistrictRules(district=geo.district, **values).full_clean()


def test_a_district_administrator_sets_the_rules_in_the_admin_with_history(geo, people, login):
    client = login(people.district_admin)
    response = client.post(
        reverse("admin:councils_districtrules_add"),
        {
            "district": geo.district.pk,
            "households_per_representative_min": "30",
            "households_per_representative_max": "150",
            "term_years": "5",
            "quorum_percent": "50",
            "adoption_percent": "50",
            "notice_days": "10",
        },
    )
    assert response.status_code == 302
    rules = DistrictRules.objects.get(district=geo.district)
    assert rules.history.get().history_user == people.district_admin
    page = client.get(reverse("admin:councils_districtrules_change", args=[rules.pk]))
    assert "城市居民委员会组织法" in page.content.decode()  # the source beside the value


def test_a_half_set_band_is_refused_in_chinese_and_nothing_is_stored(geo, people, login):
    response = login(people.district_admin).post(
        reverse("admin:councils_districtrules_add"),
        {
            "district": geo.district.pk,
            "households_per_representative_min": "30",
            "term_years": "5",
            "quorum_percent": "50",
            "adoption_percent": "50",
            "notice_days": "7",
        },
    )
    assert response.status_code == 200
    assert "上下限须一并填写" in response.content.decode()
    assert not DistrictRules.objects.exists()


@pytest.mark.parametrize("persona", ["district_staff", "street_a", "community"])
def test_only_district_administrators_change_the_rules(geo, people, login, persona):
    rules = DistrictRules.objects.create(district=geo.district)
    client = login(getattr(people, persona))
    url = reverse("admin:councils_districtrules_change", args=[rules.pk])
    data = {"district": geo.district.pk, "term_years": "2", "quorum_percent": "50"}
    client.post(url, {**data, "adoption_percent": "50", "notice_days": "7"})
    rules.refresh_from_db()
    assert rules.term_years == 5


# Quorum and adoption of the residents' meeting


def test_the_default_quorum_is_more_than_half_of_the_households(council):
    # 锦里12号院: 120 households; 61 represented is more than half, 60 is not
    assert residents_meeting(council.organisation, present=61, votes_for=40).quorum is True
    assert residents_meeting(council.organisation, present=60, votes_for=40).quorum is False


def test_the_district_quorum_threshold_changes_the_outcome(council, geo):
    DistrictRules.objects.create(district=geo.district, quorum_percent=60)
    # 70 of 120 households (58%): more than half, not more than 60%
    meeting = residents_meeting(council.organisation, present=70, votes_for=60)
    assert meeting.quorum is False and meeting.quorum_percent == 60
    assert meeting.motions.get().outcome == Motion.Outcome.DEFERRED
    meeting = residents_meeting(council.organisation, present=73, votes_for=60)  # 60.8%
    assert meeting.quorum is True
    assert meeting.motions.get().outcome == Motion.Outcome.ADOPTED


def test_the_district_adoption_threshold_changes_the_outcome(council, geo):
    # 40 of 62 households represented (64.5%): adopted by more than half
    assert residents_meeting(council.organisation, present=62, votes_for=40).motions.get().outcome
    DistrictRules.objects.create(district=geo.district, adoption_percent=66)
    meeting = residents_meeting(council.organisation, present=62, votes_for=40)
    assert meeting.motions.get().outcome == Motion.Outcome.REJECTED
    meeting = residents_meeting(council.organisation, present=62, votes_for=41)  # 66.1%
    assert meeting.motions.get().outcome == Motion.Outcome.ADOPTED


def test_a_recorded_meeting_keeps_the_thresholds_it_was_recorded_under(council, geo):
    meeting = residents_meeting(council.organisation, present=70, votes_for=60)
    assert meeting.quorum is True
    DistrictRules.objects.create(district=geo.district, quorum_percent=60)
    meeting = Meeting.objects.get(pk=meeting.pk)
    services.meeting_revise(
        meeting=meeting,
        seen_version=meeting.version,
        minutes=services.Minutes(
            fields={**FIELDS, "minutes": "补记会议情况"},
            motions=[{"id": meeting.motions.get().pk, "title": "院落公约", "votes_for": 60}],
            households_present=70,
        ),
        by=None,
    )
    meeting.refresh_from_db()
    assert meeting.quorum is True and meeting.quorum_percent == 50


def test_the_council_keeps_more_than_half_whatever_the_district_sets(council, geo):
    DistrictRules.objects.create(district=geo.district, quorum_percent=80)
    meeting = council_meeting(council.organisation, present=2)  # 2 of 3
    assert meeting.quorum is True and meeting.quorum_percent == 50


def test_the_meeting_form_states_the_districts_thresholds(council, geo, people, login):
    DistrictRules.objects.create(district=geo.district, quorum_percent=60, adoption_percent=66)
    url = (
        reverse("councils:meeting_add")
        + f"?courtyard={geo.courtyard_a1.pk}&kind=meeting&on={DAY.isoformat()}"
    )
    page = login(people.community).get(url).content.decode()
    assert "超过60%方达到法定人数" in page and "出席户数的66%方为通过" in page


# The open-air consultation (坝坝会)


def test_a_consultation_of_20_residents_in_a_300_household_courtyard_defers_nothing(council, geo):
    geo.courtyard_a1.households = 300
    geo.courtyard_a1.save()
    motions = [
        {"title": "纳凉活动", "consensus": True, "decision": "每周五晚在院坝开展纳凉活动"},
        {"title": "晾晒区调整", "decision": "意见已记录，提交议事会研究"},
    ]
    meeting = consultation(council.organisation, motions, present=20)
    assert meeting.body is None and meeting.quorum is None and meeting.present == 20
    outcomes = list(meeting.motions.order_by("number").values_list("outcome", flat=True))
    assert outcomes == [Motion.Outcome.CONSENSUS, Motion.Outcome.NOTED]
    # the same 20 households at a residents' meeting: no quorum, its motion stands deferred
    same = residents_meeting(council.organisation, present=20, votes_for=20)
    assert same.motions.get().outcome == Motion.Outcome.DEFERRED


def test_a_consultation_takes_no_vote_of_households(council):
    with pytest.raises(ValidationError) as error:
        consultation(council.organisation, [{"title": "纳凉活动", "votes_for": 15}])
    assert any("坝坝会不按户表决" in m for m in error.value.message_dict["motions"])
    assert not Meeting.objects.exists()


def test_a_consultation_counts_who_came(council):
    with pytest.raises(ValidationError) as error:
        consultation(council.organisation, [{"title": "纳凉活动"}], present=0)
    assert "participants_count" in error.value.message_dict


def test_a_consultations_consensus_cannot_approve_a_fund_project(council, geo):
    meeting = consultation(council.organisation, [{"title": "车棚", "consensus": True}])
    services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)
    assert meeting.motions.get().outcome == Motion.Outcome.CONSENSUS
    assert not approving_resolutions(geo.courtyard_a1).exists()
    assert not approving_resolutions().exists()


def _consultation_post(geo):
    return {
        "held_on": DAY.isoformat(),
        "place": "院坝",
        "chair": "召集人",
        "recorder": "记录员",
        "participants_count": "20",
        "participants": "",
        "attendance-TOTAL_FORMS": "0",
        "attendance-INITIAL_FORMS": "0",
        "motions-TOTAL_FORMS": "2",
        "motions-INITIAL_FORMS": "0",
        "motions-0-title": "纳凉活动",
        "motions-0-consensus": "on",
        "motions-0-decision": "每周五晚在院坝开展纳凉活动",
        "motions-1-title": "晾晒区调整",
        "motions-1-decision": "意见已记录",
    }


def test_a_consultation_is_recorded_on_the_form_and_read_on_the_public_page(
    council, geo, people, login, client
):
    user = login(people.community)
    url = (
        reverse("councils:meeting_add")
        + f"?courtyard={geo.courtyard_a1.pk}&kind=consultation&on={DAY.isoformat()}"
    )
    form = user.get(url)
    page = form.content.decode()
    assert "坝坝会" in page and "形成共识" in page
    assert "motions-0-votes_for" not in page  # no vote of households
    response = user.post(url, _consultation_post(geo))
    assert response.status_code == 302
    meeting = Meeting.objects.get(kind="consultation")
    assert [m.outcome for m in meeting.motions.order_by("number")] == ["consensus", "noted"]
    detail = user.get(meeting.get_absolute_url()).content.decode()
    assert "20名居民参加" in detail and "不按户表决" in detail
    services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)
    public = client.get(reverse("public_courtyard", args=[geo.courtyard_a1.pk])).content.decode()
    assert "坝坝会（协商议事会）" in public and "形成共识" in public and "记录意见" in public
    assert "不表决" in public


def test_the_meeting_reports_count_consultations_apart(council, geo, people, login):
    consultation(council.organisation, [{"title": "纳凉活动", "consensus": True}])
    response = login(people.district_staff).get(
        reverse("councils:meeting_reports"), {"start": "2024-01-01", "end": "2024-12-31"}
    )
    assert response.context["totals"]["consultations"] == 1
    assert response.context["totals"]["residents_meetings"] == 0
    assert "坝坝会" in response.content.decode()
