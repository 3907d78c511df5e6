"""The district administrators keep the working-day table and the 123 deadlines in the
admin, with history; other roles only read them or do not reach them."""

from datetime import date

from concerns.models import CalendarDay, ResponseDeadlines


def test_a_district_administrator_adds_next_years_holiday(people, login):
    client = login(people.district_admin)
    assert client.get("/admin/concerns/calendarday/").status_code == 200
    assert client.get("/admin/concerns/calendarday/?date__year=2026").status_code == 200
    response = client.post(
        "/admin/concerns/calendarday/add/",
        {"date": "2027-01-01", "is_working_day": "", "name": "元旦"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=date(2027, 1, 1))
    assert day.history.get().history_user == people.district_admin


def test_a_district_administrator_sets_the_deadlines(geo, people, login):
    client = login(people.district_admin)
    response = client.post(
        "/admin/concerns/responsedeadlines/add/",
        {
            "district": geo.district.pk,
            "street_days": 1,
            "department_days": 2,
            "departments_days": 4,
        },
    )
    assert response.status_code == 302
    assert ResponseDeadlines.objects.get().departments_days == 4


def test_street_staff_read_but_do_not_change_the_calendar(people, login):
    client = login(people.street_a)
    assert client.get("/admin/concerns/calendarday/").status_code == 200
    assert client.get("/admin/concerns/calendarday/add/").status_code == 403


def test_concerns_are_read_in_the_admin_within_the_scope_with_their_timeline(geo, people, login):
    from tests.concerns.factories import a_concern

    own = a_concern(people.community, geo.community_a1)
    other = a_concern(people.street_b, geo.community_b1)
    client = login(people.street_a)
    listing = client.get("/admin/concerns/concern/")
    assert listing.status_code == 200
    assert own.number in listing.text and other.number not in listing.text
    page = client.get(f"/admin/concerns/concern/{own.pk}/change/")
    assert page.status_code == 200
    assert "13812345678" in page.text  # street staff may see the phone
    assert "受理" in page.text  # the timeline inline
    assert client.get(f"/admin/concerns/concern/{other.pk}/change/").status_code == 404
    assert client.get(f"/admin/concerns/concern/{own.pk}/history/").status_code == 200
    # read-only: recorded on the pages, through the services
    assert client.get("/admin/concerns/concern/add/").status_code == 403
    response = client.post(f"/admin/concerns/concern/{own.pk}/change/", {})
    assert response.status_code == 403
    assert own.history.count() == 1


def test_the_district_staff_see_the_residents_phone_masked(geo, people, login):
    from tests.concerns.factories import a_concern

    concern = a_concern(people.community, geo.community_a1)
    client = login(people.district_staff)
    for url in (
        "/admin/concerns/concern/",
        f"/admin/concerns/concern/{concern.pk}/change/",
        f"/admin/concerns/concern/{concern.pk}/history/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "13812345678" not in response.text
    assert "138****5678" in client.get("/admin/concerns/concern/").text
    # no search by phone for them
    searched = client.get("/admin/concerns/concern/?q=13812345678")
    assert concern.number not in searched.text


def test_the_duty_roster_is_read_in_the_admin(geo, people, login):
    from concerns.services import roster_set

    day = roster_set(
        by=people.community,
        community=geo.community_a1,
        date=date(2026, 5, 8),
        officer=people.community,
    )
    client = login(people.street_a)
    assert client.get("/admin/concerns/dutyroster/").status_code == 200
    assert client.get(f"/admin/concerns/dutyroster/{day.pk}/change/").status_code == 200
    assert client.get(f"/admin/concerns/dutyroster/{day.pk}/history/").status_code == 200
    assert client.get("/admin/concerns/dutyroster/add/").status_code == 403
    assert (
        login(people.street_b).get(f"/admin/concerns/dutyroster/{day.pk}/change/").status_code
        == 404
    )
    assert login(people.community).get("/admin/concerns/dutyroster/").status_code == 403
