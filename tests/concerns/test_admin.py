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
