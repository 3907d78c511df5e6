"""Reminders (issue 22 point 4): the daily run opens one for each user of each thing due in
their area, settles it once the thing is done, sends each user with an address one digest
of what is new; the inbox and the count in the header."""

import datetime
import re

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from concerns import services as concern_services
from councils.models import Term
from reminders.models import Reminder
from reminders.services import remind
from tests.concerns.factories import a_concern
from tests.councils.factories import elect, organisation_for


def open_for(user):
    return Reminder.objects.filter(user=user, settled_at__isnull=True)


def term_in(courtyard):
    organisation = organisation_for(courtyard)
    elect(organisation, "council", ["convener", "representative"])
    return Term.objects.get(body__organisation=organisation, body__kind="council")


def test_a_term_ending_reminds_its_community_and_its_street_only(geo, people):
    term = term_in(geo.courtyard_a1)
    today = term.ends_on - datetime.timedelta(days=30)
    outcome = remind(today, quiet=True)
    ending = Reminder.objects.filter(kind="term_ending")
    assert set(ending.values_list("user__username", flat=True)) == {"sq_a1", "jd_a"}
    reminder = ending.get(user=people.community)
    assert reminder.due_on == term.ends_on
    assert "锦里12号院自治组织" in reminder.subject
    assert reminder.path == reverse("councils:organisation", args=[term.body.organisation_id])
    # The council never met either: both are reminded of that too.
    idle = Reminder.objects.filter(kind="council_idle")
    assert set(idle.values_list("user__username", flat=True)) == {"sq_a1", "jd_a"}
    assert outcome.opened == 4
    again = remind(today, quiet=True)  # the same day again: nothing changes
    assert (again.opened, again.changed, again.settled) == (0, 0, 0)
    assert Reminder.objects.count() == 4
    too_early = term.ends_on - datetime.timedelta(days=61)
    remind(too_early, quiet=True)  # e.g. the term was extended
    assert not ending.filter(settled_at__isnull=True).exists()


def test_a_concern_reminds_the_level_acting_on_it_and_settles_once_answered(geo, people):
    concern = a_concern(people.community, geo.community_a1)
    remind(concern.answer_due - datetime.timedelta(days=1), quiet=True)
    assert not Reminder.objects.exists()  # not due yet
    remind(concern.answer_due, quiet=True)
    assert set(Reminder.objects.values_list("user__username", flat=True)) == {"sq_a1"}
    concern_services.concern_escalate(
        concern, by=people.community, to_level="street", reason="需要街道协调"
    )
    remind(concern.answer_due, quiet=True)
    assert set(open_for(people.street_a).values_list("kind", flat=True)) == {"concern_due"}
    assert not open_for(people.community).exists()
    concern.refresh_from_db()
    concern_services.concern_classify(concern, by=people.street_a, routing=1)
    concern_services.concern_answer(concern, by=people.street_a, answer="已联系维修")
    outcome = remind(concern.answer_due + datetime.timedelta(days=3), quiet=True)
    assert outcome.settled == 1 and not open_for(people.street_a).exists()
    settled = Reminder.objects.get(user=people.street_a)
    assert settled.settled_at is not None  # ended, and kept


def test_the_inbox_counts_in_the_header_and_opening_a_reminder_marks_it_read(geo, people, login):
    concern = a_concern(people.community, geo.community_a1)
    remind(concern.answer_due, quiet=True)
    client = login(people.community)
    dashboard = client.get(reverse("dashboard")).text
    assert re.search(r'class="inbox">提醒 <span class="count"[^>]*>1</span>', dashboard)
    inbox = client.get(reverse("reminders:inbox")).text
    assert concern.number in inbox and "诉求待答复" in inbox
    reminder = Reminder.objects.get()
    response = client.get(reminder.get_absolute_url())
    assert response.status_code == 302 and response.url == concern.get_absolute_url()
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    # The dashboard kept for this session is shown afresh: the count has gone.
    assert 'class="count"' not in client.get(reverse("dashboard")).text
    assert concern.number in client.get(reverse("reminders:inbox")).text  # still open
    assert login(people.street_a).get(reminder.get_absolute_url()).status_code == 404


def test_mark_all_read(geo, people, login):
    for _ in range(3):
        concern = a_concern(people.community, geo.community_a1)
    remind(concern.answer_due, quiet=True)
    client = login(people.community)
    response = client.post(reverse("reminders:read_all"), follow=True)
    assert "3条提醒已标为已读" in response.text
    assert not open_for(people.community).filter(read_at__isnull=True).exists()
    assert client.get(reverse("reminders:read_all")).status_code == 405


def test_the_header_count_costs_no_query_of_its_own(geo, people, login):
    client = login(people.community)
    url = reverse("export_list")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    none = queries()
    for _ in range(3):
        concern = a_concern(people.community, geo.community_a1)
    remind(concern.answer_due, quiet=True)
    assert queries() == none


def test_one_digest_per_user_with_an_address_and_none_twice(geo, people, settings):
    settings.PORTAL_URL = "https://portal.example.cn"
    people.community.email = "sq_a1@example.cn"
    people.community.save()
    concern = a_concern(people.community, geo.community_a1)
    remind(concern.answer_due, quiet=True)
    assert [message.to for message in mail.outbox] == [["sq_a1@example.cn"]]  # jd_a has none
    body = mail.outbox[0].body
    assert concern.number in body and "诉求待答复" in body
    assert f"https://portal.example.cn{concern.get_absolute_url()}" in body
    assert "https://portal.example.cn/reminders/" in body
    assert "1条新提醒" in mail.outbox[0].subject
    remind(concern.answer_due, quiet=True)
    assert len(mail.outbox) == 1  # nothing new, nothing sent
    term = term_in(geo.courtyard_a1)
    remind(term.ends_on - datetime.timedelta(days=10), quiet=True)
    assert len(mail.outbox) == 2
    later = mail.outbox[1].body
    assert "换届" in later and "议事会久未开会" in later and concern.number not in later
    assert "另有1条提醒仍待处理" in later


def test_the_daily_command_reports_what_it_did(geo, people, capsys):
    concern = a_concern(people.community, geo.community_a1)
    call_command("remind", "--today", concern.answer_due.isoformat(), "--quiet")
    assert "1 reminder(s) opened, 0 changed, 0 settled; 0 e-mail digest(s) sent." in (
        capsys.readouterr().out
    )


def test_only_the_roles_reminded_have_an_inbox_link(people, login):
    inbox = reverse("reminders:inbox")
    assert inbox in login(people.street_a).get(reverse("export_list")).text
    assert inbox not in login(people.inspector).get(reverse("export_list")).text
