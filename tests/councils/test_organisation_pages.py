"""Setting up an organisation, its status steps, the list and its export."""

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from councils.models import Coverage, Organisation
from tests.councils.factories import organisation_for
from tests.factories import CourtyardFactory


def page(response):
    return response.content.decode()


def test_a_community_member_sets_up_an_organisation_for_two_courtyards(geo, people, login):
    neighbour = CourtyardFactory(community=geo.community_a1, name="锦里14号院")
    client = login(people.community)
    url = reverse("councils:organisation_add") + f"?courtyard={geo.courtyard_a1.pk}"
    form = client.get(url)
    assert form.context["form"]["name"].value() == "锦里12号院院落自治组织"
    response = client.post(
        url,
        {
            "name": "锦里联合院落自治组织",
            "set_up_on": "2024-03-01",
            "courtyards": [geo.courtyard_a1.pk, neighbour.pk],
        },
    )
    organisation = Organisation.objects.get()
    assert response.status_code == 302 and response.url == organisation.get_absolute_url()
    assert organisation.set_up_by == people.community
    assert set(organisation.coverage.values_list("courtyard", flat=True)) == {
        geo.courtyard_a1.pk,
        neighbour.pk,
    }
    detail = client.get(response.url)
    assert "筹备中" in page(detail) and "院落民情代表议事会" in page(detail)


def test_setting_up_without_a_courtyard_is_refused_in_chinese_and_keeps_the_input(
    geo, people, login
):
    url = reverse("councils:organisation_add") + f"?community={geo.community_a1.pk}"
    response = login(people.community).post(url, {"name": "新组织", "set_up_on": "2024-03-01"})
    assert response.status_code == 200
    assert "这个字段是必填项" in str(response.context["form"].errors["courtyards"])
    assert 'value="新组织"' in page(response)
    assert not Organisation.objects.exists()


def test_a_future_date_is_refused_next_to_its_field(geo, people, login):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    url = reverse("councils:organisation_add") + f"?courtyard={geo.courtyard_a1.pk}"
    response = login(people.community).post(
        url, {"name": "新组织", "set_up_on": future, "courtyards": [geo.courtyard_a1.pk]}
    )
    assert "该日期晚于今天" in str(response.context["form"].errors["set_up_on"])
    assert not Organisation.objects.exists()


def test_covered_courtyards_and_other_communities_are_not_offered(geo, people, login):
    organisation_for(geo.courtyard_a1)
    url = reverse("councils:organisation_add") + f"?community={geo.community_a1.pk}"
    offered = login(people.community).get(url).context["form"].fields["courtyards"].queryset
    assert {c.name for c in offered} == {"电力局宿舍"}


def test_a_courtyard_posted_from_another_community_is_refused(geo, people, login):
    url = reverse("councils:organisation_add") + f"?community={geo.community_a1.pk}"
    response = login(people.street_a).post(
        url, {"name": "越界", "set_up_on": "2024-03-01", "courtyards": [geo.courtyard_a2.pk]}
    )
    assert "courtyards" in response.context["form"].errors
    assert not Coverage.objects.exists()


def test_without_a_courtyard_or_community_the_page_asks_for_the_community(people, geo, login):
    response = login(people.street_a).get(reverse("councils:organisation_add"))
    choices = {c.name for c in response.context["form"].fields["community"].queryset}
    assert choices == {"锦里社区", "洗面桥社区"}


def test_the_status_path_is_recorded_step_by_step(geo, people, login):
    from tests.councils.factories import elect

    organisation = organisation_for(geo.courtyard_a1)
    member, street = login(people.community), login(people.street_a)
    establish = reverse("councils:organisation_establish", args=[organisation.pk])
    refused = member.post(establish, {"established_on": "2023-03-10"})
    assert "请先登记院落民情代表议事会的选举" in str(refused.context["form"].errors)
    elect(organisation, "council", ["convener"])
    elect(organisation, "group", ["leader"])
    assert member.post(establish, {"established_on": "2023-03-10"}).status_code == 302
    accept = reverse("councils:organisation_accept", args=[organisation.pk])
    assert member.get(accept).status_code == 403  # communities do not accept themselves
    response = street.post(
        accept, {"accepted_on": "2023-05-01", "acceptance_note": "制度健全，验收合格"}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.ACCEPTED
    assert organisation.accepted_by == people.street_a
    shown = page(street.get(organisation.get_absolute_url()))
    assert "制度健全，验收合格" in shown
    assert "jd_a登记" in shown and "sq_a1登记" in shown  # who recorded each step


def test_a_dissolution_needs_a_reason(council, people, login):
    url = reverse("councils:organisation_dissolve", args=[council.organisation.pk])
    response = login(people.community).post(url, {"dissolved_on": "2025-01-01"})
    assert "dissolved_reason" in response.context["form"].errors
    council.organisation.refresh_from_db()
    assert council.organisation.is_open


def test_the_list_shows_the_scope_with_figures_and_a_total(council, geo, people, login):
    organisation_for(geo.courtyard_b1)
    response = login(people.street_a).get(reverse("councils:list"))
    rows = list(response.context["page"])
    assert [row.name for row in rows] == ["锦里12号院自治组织"]
    assert rows[0].representatives == 3 and rows[0].households_covered == 120
    assert response.context["totals"]["representatives"] == 3
    everyone = login(people.district_staff).get(reverse("councils:list"))
    assert everyone.context["totals"]["courtyards_covered"] == 2


def test_the_list_filters_by_status_and_searches_courtyard_names(council, geo, people, login):
    organisation_for(geo.courtyard_a2)
    client = login(people.district_staff)
    preparing = client.get(reverse("councils:list"), {"status": "preparing"})
    assert [o.name for o in preparing.context["page"]] == ["洗面桥3号院自治组织"]
    found = client.get(reverse("councils:list"), {"q": "锦里12"})
    assert [o.name for o in found.context["page"]] == ["锦里12号院自治组织"]


def test_the_list_exports_to_excel_with_a_total_row(council, geo, people, login):
    organisation_for(geo.courtyard_b1)
    response = login(people.street_a).get(reverse("councils:list"), {"format": "xlsx"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[3][:4] == ("序号", "街道", "社区", "院落自治组织")
    assert [row[3] for row in rows[4:-1]] == ["锦里12号院自治组织"]
    assert rows[-1][0] == "合计" and rows[-1][8] == 3
