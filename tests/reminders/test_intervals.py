"""Each district sets how early its users are reminded (提醒设置) in the back office; the
daily run follows it, a district that has set nothing has the defaults."""

import datetime

from councils.models import Term
from reminders.models import Reminder, ReminderIntervals
from reminders.services import remind
from tests.councils.factories import council_meeting, elect, organisation_for
from tests.factories import DistrictFactory, StreetFactory

ADD = "/admin/reminders/reminderintervals/add/"
DEFAULTS = {
    "term_ending_days": 60,
    "council_idle_months": 3,
    "notice_period_days": 3,
    "rectification_days": 7,
    "return_days": 3,
}


def a_term(courtyard):
    organisation = organisation_for(courtyard)
    elect(organisation, "council", ["convener", "representative"])
    return Term.objects.get(body__organisation=organisation, body__kind="council")


def term_reminders():
    return Reminder.objects.filter(kind="term_ending", settled_at__isnull=True)


def test_the_district_administrator_reminds_of_terms_earlier(geo, people, login):
    term = a_term(geo.courtyard_a1)
    ninety_days_before = term.ends_on - datetime.timedelta(days=90)
    remind(ninety_days_before, quiet=True)
    assert not term_reminders().exists()  # 60 days by default

    response = login(people.district_admin).post(
        ADD, {**DEFAULTS, "district": geo.district.pk, "term_ending_days": 100}
    )
    assert response.status_code == 302
    intervals = ReminderIntervals.objects.get()
    assert intervals.history.get().history_user == people.district_admin

    remind(ninety_days_before, quiet=True)
    reminded = set(term_reminders().values_list("user__username", flat=True))
    assert reminded == {"sq_a1", "jd_a"}


def test_another_districts_setting_does_not_reach_this_one(geo, people):
    elsewhere = DistrictFactory(name="青羊区")
    StreetFactory(district=elsewhere, name="草市街街道")
    ReminderIntervals.objects.create(district=elsewhere, term_ending_days=200)
    term = a_term(geo.courtyard_a1)
    remind(term.ends_on - datetime.timedelta(days=90), quiet=True)
    assert not term_reminders().exists()


def test_a_council_is_idle_after_the_districts_months(geo, people):
    term = a_term(geo.courtyard_a1)
    council_meeting(term.body.organisation, held_on=datetime.date(2024, 5, 10))
    four_months_later = datetime.date(2024, 9, 20)
    idle = Reminder.objects.filter(kind="council_idle", user=people.community)
    remind(four_months_later, quiet=True)
    assert idle.get().due_on == datetime.date(2024, 8, 10)  # 3 months by default

    ReminderIntervals.objects.create(district=geo.district, council_idle_months=6)
    remind(four_months_later, quiet=True)
    assert not idle.filter(settled_at__isnull=True).exists()
    remind(datetime.date(2024, 11, 11), quiet=True)
    assert idle.get(settled_at__isnull=True).due_on == datetime.date(2024, 11, 10)


def test_an_interval_out_of_range_is_refused_in_chinese_and_nothing_is_kept(geo, people, login):
    response = login(people.district_admin).post(
        ADD, {**DEFAULTS, "district": geo.district.pk, "term_ending_days": 0}
    )
    assert response.status_code == 200
    assert "确保该值大于或等于1" in response.text
    assert not ReminderIntervals.objects.exists()


def test_district_staff_read_the_intervals_and_streets_do_not_reach_them(geo, people, login):
    ReminderIntervals.objects.create(district=geo.district)
    staff = login(people.district_staff)
    assert staff.get("/admin/reminders/reminderintervals/").status_code == 200
    assert staff.get(ADD).status_code == 403
    assert login(people.street_a).get("/admin/reminders/reminderintervals/").status_code == 403
