"""Training sessions: recording one, the year's figures, who sees whose names."""

import datetime

from django.urls import reverse

from councils import services
from councils.models import Training


def test_a_community_records_its_training_ticking_the_people_who_serve(council, geo, people, login):
    client = login(people.community)
    form = client.get(reverse("councils:training_add")).context["form"]
    assert form.fields["unit"].choices == [
        (f"community:{geo.community_a1.pk}", "浆洗街街道 · 锦里社区")
    ]
    offered = set(form.fields["people"].queryset)
    assert offered == {
        m.person for m in council.organisation.bodies.get(kind="council").memberships.all()
    } | {m.person for m in council.organisation.bodies.get(kind="group").memberships.all()}
    leader = council.member("leader").person
    response = client.post(
        reverse("councils:training_add"),
        {
            "unit": f"community:{geo.community_a1.pk}",
            "held_on": "2024-05-01",
            "topic": "议事规则培训",
            "organiser": "锦里社区居委会",
            "people": [leader.pk],
            "other_attendees": "4",
        },
    )
    training = Training.objects.get()
    assert response.url == training.get_absolute_url()
    assert list(training.attendees.all()) == [leader]
    listing = client.get(reverse("councils:trainings"), {"year": 2024})
    assert listing.context["figures"] == {"sessions": 1, "named": 1, "others": 4, "attendees": 5}


def test_a_community_cannot_organise_for_the_street(geo, people, login):
    response = login(people.community).post(
        reverse("councils:training_add"),
        {
            "unit": f"street:{geo.street_a.pk}",
            "held_on": "2024-05-01",
            "topic": "议事规则培训",
            "organiser": "街道",
            "other_attendees": "4",
        },
    )
    assert "unit" in response.context["form"].errors
    assert not Training.objects.exists()


def test_sessions_organised_above_are_read_but_not_edited_and_names_stay_in_scope(
    council, geo, people, login
):
    from tests.councils.factories import elect, organisation_for

    other = organisation_for(geo.courtyard_a2)
    elect(other, "council", ["convener"])
    outsider = other.bodies.get(kind="council").memberships.get().person
    training = services.training_save(
        district=geo.district,
        held_on=datetime.date(2024, 5, 1),
        topic="全区民情代表培训",
        organiser="区民政局",
        other_attendees=40,
        people=[council.member("leader").person, outsider],
        by=None,
    )
    client = login(people.community)
    listing = client.get(reverse("councils:trainings"), {"year": 2024})
    assert listing.context["figures"]["sessions"] == 0  # not the community's own session
    assert training in listing.context["above"]
    detail = client.get(training.get_absolute_url())
    assert detail.context["named_total"] == 2
    assert [row.person for row in detail.context["attendance"]] == [council.member("leader").person]
    assert outsider.name not in detail.content.decode()
    assert client.get(reverse("councils:training_edit", args=[training.pk])).status_code == 403
    assert (
        login(people.district_staff)
        .get(reverse("councils:training_edit", args=[training.pk]))
        .status_code
        == 200
    )
