"""Corrections of a draft scheme: an indicator edited (title, weight, measure and target or
guidance, area) or removed with its draft hand scores; an area renamed or removed when empty;
the scheme's title, year, minimum and units assessed. Each is kept in the history, refused
in Chinese once published (nothing changes), and another street does not find them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Area, Indicator, Scheme, Score
from tests.assessments.builders import YEAR, scheme

pytestmark = pytest.mark.django_db

INDICATORS = [("议事会议召开", "20", "meetings", "2"), ("居民满意度侧评", "50")]


@pytest.fixture
def draft(geo, people):
    return scheme(people.street_a, geo.district, geo.street_a, indicators=INDICATORS)


def manual(made):
    return Indicator.objects.get(area__scheme=made, kind="manual")


def computed(made):
    return Indicator.objects.get(area__scheme=made, kind="computed")


def score(made, geo, people, community="community_a1", points="40"):
    return services.score_enter(
        manual(made), getattr(geo, community), points=Decimal(points), by=people.street_a
    )


def page(client, url, data=None):
    response = client.post(url, data, follow=True) if data is not None else client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_scheme_page_offers_corrections_while_a_draft(draft, people, login):
    content = page(login(people.street_a), reverse("assessments:detail", args=[draft.pk]))
    edit = reverse("assessments:indicator_edit", args=[manual(draft).pk])
    assert edit in content
    assert f"{edit}#remove" in content
    assert reverse("assessments:scheme_edit", args=[draft.pk]) in content


def test_a_typo_in_a_hand_scored_indicator_is_corrected_and_moved(draft, people, login):
    other = services.area_add(draft, title="议事公开")
    indicator = manual(draft)
    url = reverse("assessments:indicator_edit", args=[indicator.pk])
    assert "居民满意度侧评" in page(login(people.street_a), url)
    data = {"area": other.pk, "title": "居民满意度测评", "weight": "40", "guidance": "入户抽样"}
    assert "指标已修改" in page(login(people.street_a), url, data)
    indicator.refresh_from_db()
    assert (indicator.title, indicator.weight, indicator.guidance, indicator.area) == (
        "居民满意度测评", Decimal("40.00"), "入户抽样", other,
    )  # fmt: skip
    assert [h.title for h in indicator.history.all()] == ["居民满意度测评", "居民满意度侧评"]


def test_a_computed_indicator_changes_its_measure_and_target(draft, people, login):
    indicator = computed(draft)
    url = reverse("assessments:indicator_edit", args=[indicator.pk])
    data = {"area": indicator.area_id, "title": "决议按时公开", "weight": "20",
            "measure": "decisions_on_time", "target": "0"}  # fmt: skip
    assert "目标值必须大于0" in page(login(people.street_a), url, data)
    indicator.refresh_from_db()
    assert (indicator.measure, indicator.target) == ("meetings", Decimal("2.00"))
    page(login(people.street_a), url, {**data, "target": "90"})
    indicator.refresh_from_db()
    assert (indicator.title, indicator.measure, indicator.target) == (
        "决议按时公开", "decisions_on_time", Decimal("90.00"),
    )  # fmt: skip


def test_the_weight_cannot_fall_below_points_already_scored(draft, people, geo, login):
    score(draft, geo, people, points="45")
    indicator = manual(draft)
    url = reverse("assessments:indicator_edit", args=[indicator.pk])
    data = {"area": indicator.area_id, "title": indicator.title, "weight": "40"}
    assert "已有单位得 45" in page(login(people.street_a), url, data)
    indicator.refresh_from_db()
    assert indicator.weight == Decimal("50.00")


def test_removing_an_indicator_needs_the_box_and_takes_its_draft_scores(draft, people, geo, login):
    made = score(draft, geo, people)
    indicator = manual(draft)
    edit = reverse("assessments:indicator_edit", args=[indicator.pk])
    assert "草稿" in page(login(people.street_a), edit)  # the confirmation says what goes
    url = reverse("assessments:indicator_remove", args=[indicator.pk])
    assert "请勾选确认" in page(login(people.street_a), url, {})
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert "已删除" in page(login(people.street_a), url, {"confirm": "1"})
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assert not Score.objects.filter(pk=made.pk).exists()
    assert Indicator.history.filter(id=indicator.pk, history_type="-").exists()
    assert Score.history.filter(id=made.pk, history_type="-").exists()


def test_an_area_is_renamed_and_removed_when_empty(draft, people, login):
    area = Area.objects.get(scheme=draft)
    url = reverse("assessments:area_edit", args=[area.pk])
    page(login(people.street_a), url, {"title": "组织建设"})
    area.refresh_from_db()
    assert area.title == "组织建设"
    assert [h.title for h in area.history.all()] == ["组织建设", "组织运行"]
    empty = services.area_add(draft, title="多余的内容")
    remove = reverse("assessments:area_remove", args=[empty.pk])
    page(login(people.street_a), remove, {"confirm": "1"})
    assert not Area.objects.filter(pk=empty.pk).exists()
    assert Area.history.filter(id=empty.pk, history_type="-").exists()


def test_an_area_holding_indicators_is_not_removed(draft, people, login):
    area = Area.objects.get(scheme=draft)
    url = reverse("assessments:area_remove", args=[area.pk])
    assert "“组织运行”下还有 2 项指标" in page(login(people.street_a), url, {"confirm": "1"})
    assert Area.objects.filter(pk=area.pk).exists()


def scheme_data(**changes):
    return {"title": "2025年度院落自治考评（修订）", "year": YEAR, "level": "communities",
            "min_sample": 2, **changes}  # fmt: skip


def test_the_schemes_title_year_and_minimum_are_corrected(draft, people, login):
    url = reverse("assessments:scheme_edit", args=[draft.pk])
    page(login(people.street_a), url, scheme_data(year=YEAR + 1))
    draft.refresh_from_db()
    assert (draft.title, draft.year, draft.min_sample) == (
        "2025年度院落自治考评（修订）", YEAR + 1, 2,
    )  # fmt: skip
    assert draft.history.count() == 2


def test_the_units_assessed_change_only_while_nothing_is_scored(geo, people, login):
    made = scheme(people.street_a, geo.district, geo.street_a, indicators=[("走访评议", "10")])
    url = reverse("assessments:scheme_edit", args=[made.pk])
    page(login(people.street_a), url, scheme_data(level="organisations"))
    made.refresh_from_db()
    assert made.level == "organisations"
    page(login(people.street_a), url, scheme_data(level="communities"))
    score(made, geo, people, points="8")
    content = page(login(people.street_a), url, scheme_data(level="organisations"))
    assert "已录入评分，不能再更改被考评单位" in content
    made.refresh_from_db()
    assert made.level == "communities"


def test_a_measure_not_computed_for_the_new_units_keeps_them(draft, people, login):
    # 整改按期完成率 is computed for streets and communities, not for organisations.
    computed(draft).__class__.objects.filter(pk=computed(draft).pk).update(
        measure="rectifications_on_time"
    )
    url = reverse("assessments:scheme_edit", args=[draft.pk])
    assert "不适用于" in page(login(people.street_a), url, scheme_data(level="organisations"))
    assert Scheme.objects.get(pk=draft.pk).level == "communities"


def urls_of(made):
    area = Area.objects.filter(scheme=made).first()
    indicator = manual(made)
    return {
        "assessments:scheme_edit": made.pk,
        "assessments:area_edit": area.pk,
        "assessments:area_remove": area.pk,
        "assessments:indicator_edit": indicator.pk,
        "assessments:indicator_remove": indicator.pk,
    }


def test_a_published_scheme_refuses_every_correction(draft, people, geo, login):
    score(draft, geo, people)
    score(draft, geo, people, "community_a2")
    services.scheme_publish(draft, by=people.street_a)
    before = [list(model.history.all()) for model in (Scheme, Area, Indicator, Score)]
    client = login(people.street_a)
    for name, pk in urls_of(draft).items():
        url = reverse(name, args=[pk])
        data = {"confirm": "1", "title": "改", **scheme_data(), "weight": "1"}
        assert "已发布的考评方案不能修改" in page(client, url, data), name
        if name.endswith("_edit"):
            assert client.get(url).status_code == 302, name
    assert [list(model.history.all()) for model in (Scheme, Area, Indicator, Score)] == before
    assert "indicators/" not in page(client, reverse("assessments:detail", args=[draft.pk]))


def test_another_streets_scheme_is_not_found(draft, people, login):
    for persona in ("street_b", "district_staff"):
        client = login(getattr(people, persona))
        for name, pk in urls_of(draft).items():
            url = reverse(name, args=[pk])
            assert client.post(url, {"confirm": "1"}).status_code == 404, (persona, name)
            if name.endswith("_edit"):
                assert client.get(url).status_code == 404, (persona, name)
    assert Indicator.objects.filter(area__scheme=draft).count() == 2
