"""Recording, reading and correcting a visit on its pages; problems and photos."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.models import Inspection, InspectionPhoto, Rectification
from tests.inspections.factories import days_ago, items_of, record

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def visit_data(campaign, *values, **extra):
    data = {"visited_on": days_ago(1).isoformat(), "findings": "议事记录齐全"}
    for item, value in zip(items_of(campaign), values, strict=True):
        data[f"score_{item.pk}"] = str(value)
        data[f"remark_{item.pk}"] = ""
    data.update(extra)
    return data


def record_url(target):
    return reverse("inspections:visit_record", args=[target.pk])


def test_an_inspector_records_a_visit_of_their_groups_target(insp, people, login):
    client = login(people.inspector)
    form = client.get(record_url(insp.a1))
    assert form.status_code == 200
    page = form.content.decode()
    assert "组织健全" in page and "满分60" in page and 'for="id_visited_on"' in page
    response = client.post(record_url(insp.a1), visit_data(insp.campaign, 55, 18, 17))
    visit = Inspection.objects.get()
    assert response.url == visit.get_absolute_url()
    assert (visit.total, visit.final_verdict, visit.recorded_by) == (
        90,
        "commend",
        people.inspector,
    )
    detail = client.get(visit.get_absolute_url()).content.decode()
    assert "督查记录已保存" in detail and "90.0" in detail and "通报表扬" in detail


def test_a_score_above_the_maximum_is_shown_next_to_its_field_and_nothing_is_stored(
    insp, people, login
):
    item = items_of(insp.campaign)[1]
    response = login(people.inspector).post(
        record_url(insp.a1), visit_data(insp.campaign, 55, 25, 17)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"score_{item.pk}"] == ["确保该值小于或等于20.0。"]
    page = response.content.decode()
    assert 'value="25"' in page and 'value="55"' in page  # what was typed stays
    assert not Inspection.objects.exists()


def test_an_overruled_verdict_without_reason_is_explained_and_kept(insp, people, login):
    response = login(people.inspector).post(
        record_url(insp.a1), visit_data(insp.campaign, 55, 18, 17, final_verdict="pass")
    )
    assert response.context["form"].errors["verdict_reason"] == [
        "建议结论为“通报表扬”，最终结论与之不同，请填写理由。"
    ]
    assert not Inspection.objects.exists()


def test_a_second_visit_must_be_marked_as_a_reinspection(insp, people, login):
    record(insp.a1, 40, 10, 10, by=people.inspector, days=5)
    client = login(people.inspector)
    response = client.post(record_url(insp.a1), visit_data(insp.campaign, 55, 18, 17))
    assert "请勾选“复查”并填写原因" in response.context["form"].errors["is_reinspection"][0]
    response = client.post(
        record_url(insp.a1),
        visit_data(
            insp.campaign, 55, 18, 17, is_reinspection="on", reinspection_reason="整改后复查"
        ),
    )
    assert response.status_code == 302
    assert Inspection.objects.filter(is_reinspection=True).count() == 1


def test_an_inspector_outside_the_group_gets_404(insp, people, login):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector)
    client = login(insp.outsider)
    for url in [
        record_url(insp.a1),
        visit.get_absolute_url(),
        reverse("inspections:visit_edit", args=[visit.pk]),
    ]:
        assert client.get(url).status_code == 404
    response = client.post(record_url(insp.a2), visit_data(insp.campaign, 55, 18, 17))
    assert response.status_code == 404
    assert Inspection.objects.count() == 1


def test_streets_and_communities_cannot_record_visits(insp, people, login):
    for persona in [people.street_a, people.community]:
        assert login(persona).get(record_url(insp.a1)).status_code == 404


def test_district_staff_may_open_every_visit_but_not_record_once_closed(insp, people, login):
    visit = record(insp.b1, 40, 10, 10, by=insp.outsider)
    client = login(people.district_staff)
    assert client.get(visit.get_absolute_url()).status_code == 200
    insp.campaign.status, insp.campaign.closed_on = "closed", days_ago(0)
    insp.campaign.save()
    assert client.get(record_url(insp.a1)).status_code == 403


def test_correcting_a_visit_keeps_its_scores_in_the_form(insp, people, login):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector)
    client = login(insp.member)
    url = reverse("inspections:visit_edit", args=[visit.pk])
    page = client.get(url).content.decode()
    assert 'value="40.0"' in page
    response = client.post(url, visit_data(insp.campaign, 45, 15, 15))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.total == 75
    assert visit.history.first().history_user == insp.member


def test_an_inspector_notes_a_problem_for_the_community(insp, people, login, geo):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector)
    client = login(people.inspector)
    response = client.post(
        reverse("inspections:visit_add_problem", args=[visit.pk]),
        {
            "problem": "楼道堆放杂物，存在消防隐患",
            "community": geo.community_a1.pk,
            "deadline": days_ago(-14).isoformat(),
        },
    )
    assert response.status_code == 302
    rect = Rectification.objects.get()
    assert (rect.community, rect.deadline, rect.status) == (geo.community_a1, days_ago(-14), "open")
    assert "楼道堆放杂物" in client.get(visit.get_absolute_url()).content.decode()


def test_a_problem_with_a_deadline_before_the_visit_is_refused_next_to_the_field(
    insp, people, login, geo
):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector, days=3)
    response = login(people.inspector).post(
        reverse("inspections:visit_add_problem", args=[visit.pk]),
        {"problem": "问题", "community": geo.community_a1.pk, "deadline": days_ago(5).isoformat()},
    )
    assert response.status_code == 400
    assert "整改期限须晚于督查日期" in response.context["problem_form"].errors["deadline"][0]
    assert not Rectification.objects.exists()


def test_a_photo_is_checked_then_served_only_to_those_who_see_the_visit(insp, people, login):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector)
    client = login(people.inspector)
    url = reverse("inspections:visit_add_photo", args=[visit.pk])
    response = client.post(url, {"file": SimpleUploadedFile("现场.jpg", b"MZ\x90executable")})
    assert response.status_code == 400
    assert "不是PDF或图片" in response.context["photo_form"].errors["file"][0]
    assert not InspectionPhoto.objects.exists()
    client.post(url, {"file": SimpleUploadedFile("现场.jpg", JPEG), "caption": "楼道"})
    photo = InspectionPhoto.objects.get()
    response = client.get(photo.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert login(insp.outsider).get(photo.get_absolute_url()).status_code == 404
    assert login(people.community).get(photo.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("persona", ["street_a", "community"])
def test_streets_and_communities_read_visits_once_published(insp, people, login, persona):
    from inspections import services

    visit = record(insp.a1, 40, 10, 10, by=people.inspector)
    client = login(getattr(people, persona))
    assert client.get(visit.get_absolute_url()).status_code == 404
    services.campaign_close(campaign=insp.campaign, closed_on=days_ago(0), by=people.district_staff)
    bulletin = services.bulletin_create(campaign=insp.campaign, by=people.district_staff)
    services.bulletin_publish(bulletin=bulletin, by=people.district_staff)
    response = client.get(visit.get_absolute_url())
    assert response.status_code == 200
    assert response.context["may_edit"] is False and response.context["problem_form"] is None
