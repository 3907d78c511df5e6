"""Notices (issue 22 point 3, first part): the district or a street writes a notice as a
draft, issues it to the units below, each unit acknowledges it (签收), the issuer sees who
has and who is late, and units that have not are reminded."""

import datetime

from django.urls import reverse
from django.utils import timezone

from notices.models import Notice, Recipient
from reminders.models import Reminder
from reminders.services import remind

TODAY = timezone.localdate()
LATE = 'class="badge bad">逾期'


def write(client, **fields):
    data = {
        "title": "关于开展院落自治年度自查的通知",
        "text": "请各社区于月底前完成自查。",
        "audience": "communities",
        "reply_by": (TODAY + datetime.timedelta(days=5)).isoformat(),
        **fields,
    }
    return client.post(reverse("notices:new"), data)


def test_the_district_writes_issues_and_sees_who_acknowledged(geo, people, login):
    client = login(people.district_staff)
    response = write(client)
    notice = Notice.objects.get()
    assert response.status_code == 302 and response.url == notice.get_absolute_url()
    assert not notice.is_issued and notice.street is None
    # a draft is the district's alone
    assert login(people.community).get(notice.get_absolute_url()).status_code == 404
    assert login(people.district_admin).get(notice.get_absolute_url()).status_code == 200
    assert "发出通知" in client.get(notice.get_absolute_url()).text
    response = client.post(reverse("notices:issue", args=[notice.pk]), follow=True)
    assert "通知已发出" in response.text
    units = set(Recipient.objects.values_list("community__name", flat=True))
    assert units == {"锦里社区", "洗面桥社区", "九眼桥社区"}
    member = login(people.community)
    assert "关于开展院落自治年度自查的通知" in member.get(reverse("notices:list")).text
    page = member.post(reverse("notices:acknowledge", args=[notice.pk]), follow=True)
    assert "已签收" in page.text
    mine = Recipient.objects.get(community=geo.community_a1)
    assert mine.acknowledged_by == people.community and mine.history.count() == 2
    progress = client.get(notice.get_absolute_url()).text
    assert "锦里社区" in progress and "九眼桥社区" in progress
    assert client.get(reverse("notices:issued")).text.count("1 / 3") == 1
    # issued: the text is fixed, a second issue and a second acknowledgement are refused
    assert client.get(reverse("notices:edit", args=[notice.pk])).status_code == 404
    again = client.post(reverse("notices:issue", args=[notice.pk]), follow=True)
    assert "该通知已发出" in again.text
    twice = member.post(reverse("notices:acknowledge", args=[notice.pk]), follow=True)
    assert "该通知已签收" in twice.text


def test_a_street_notifies_its_own_communities_only(geo, people, login):
    client = login(people.street_a)
    write(client, audience="streets")  # a street cannot choose: its communities
    notice = Notice.objects.get()
    assert (notice.street, notice.audience) == (geo.street_a, "communities")
    client.post(reverse("notices:issue", args=[notice.pk]))
    units = set(Recipient.objects.values_list("community__name", flat=True))
    assert units == {"锦里社区", "洗面桥社区"}
    # another street sees none of it; nor may it issue or acknowledge
    other = login(people.street_b)
    assert other.get(notice.get_absolute_url()).status_code == 404
    assert other.post(reverse("notices:acknowledge", args=[notice.pk])).status_code == 404
    # the district sees what its streets issued, but does not write it
    district = login(people.district_staff)
    assert district.get(notice.get_absolute_url()).status_code == 200
    assert district.get(reverse("notices:edit", args=[notice.pk])).status_code == 404


def test_a_notice_to_the_streets_is_acknowledged_by_street_staff(geo, people, login):
    client = login(people.district_admin)
    write(client, audience="streets")
    notice = Notice.objects.get()
    client.post(reverse("notices:issue", args=[notice.pk]))
    assert login(people.community).get(notice.get_absolute_url()).status_code == 404
    street = login(people.street_a)
    assert "签收" in street.get(notice.get_absolute_url()).text
    street.post(reverse("notices:acknowledge", args=[notice.pk]))
    assert Recipient.objects.get(street=geo.street_a).acknowledged_at is not None
    assert Recipient.objects.get(street=geo.street_b).acknowledged_at is None


def test_bad_input_is_named_in_chinese_and_nothing_is_written(geo, people, login):
    client = login(people.district_staff)
    response = write(client, title="", reply_by="2026年13月40日")
    assert response.status_code == 200
    assert "标题" in response.text and "这个字段是必填项" in response.text
    assert "输入一个有效的日期" in response.text
    assert not Notice.objects.exists()
    assert login(people.community).get(reverse("notices:new")).status_code == 403


def test_a_late_unit_is_marked_and_reminded_until_it_acknowledges(geo, people, login):
    client = login(people.district_staff)
    write(client)
    notice = Notice.objects.get()
    client.post(reverse("notices:issue", args=[notice.pk]))
    remind(notice.reply_by + datetime.timedelta(days=1), quiet=True)
    reminded = Reminder.objects.filter(kind="notice", settled_at__isnull=True)
    assert set(reminded.values_list("user__username", flat=True)) == {"sq_a1"}
    Notice.objects.filter(pk=notice.pk).update(reply_by=TODAY - datetime.timedelta(days=1))
    page = client.get(notice.get_absolute_url()).text
    assert page.count(LATE) == 3 and "3个接收单位中已签收0个，逾期3个" in page
    login(people.community).post(reverse("notices:acknowledge", args=[notice.pk]))
    remind(notice.reply_by + datetime.timedelta(days=2), quiet=True)
    assert not reminded.exists()
    assert client.get(notice.get_absolute_url()).text.count(LATE) == 3  # acknowledged late


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_read_the_same_number_of_rows_at_any_size(geo, people, login):
    from tests.factories import CommunityFactory

    writer, member = login(people.district_staff), login(people.community)
    write(writer)
    notice = Notice.objects.latest("pk")
    writer.post(reverse("notices:issue", args=[notice.pk]))
    pages = {
        "issued": (writer, reverse("notices:issued")),
        "detail": (writer, notice.get_absolute_url()),
        "received": (member, reverse("notices:list")),
    }
    small = {name: _queries(*page) for name, page in pages.items()}
    # session, user, role (with the reminders' count), then the page's own reads
    assert small == {"issued": 7, "detail": 7, "received": 7}
    for number in range(12):
        CommunityFactory(street=geo.street_b, name=f"新社区{number}")
    for _ in range(4):
        write(writer)
        writer.post(reverse("notices:issue", args=[Notice.objects.latest("pk").pk]))
    pages["detail"] = (writer, Notice.objects.latest("pk").get_absolute_url())
    assert Recipient.objects.filter(notice=Notice.objects.latest("pk")).count() == 15
    assert {name: _queries(*page) for name, page in pages.items()} == small


def test_the_system_administrator_reads_every_notice_and_writes_none(geo, people, login):
    from django.contrib.auth import get_user_model

    write(login(people.street_a), title="浆洗街的通知")
    write(login(people.district_staff), title="区里的通知")
    admin = login(get_user_model().objects.create_superuser("root", password="x-secret-1"))
    listed = admin.get(reverse("notices:list"), follow=True)
    assert "浆洗街的通知" in listed.text and "区里的通知" in listed.text
    assert reverse("notices:new") not in listed.text
    assert admin.get(reverse("notices:new")).status_code == 403


def test_the_issued_list_shows_the_newest_first(geo, people, login):
    client = login(people.district_staff)
    write(client, title="第一份通知")
    write(client, title="第二份通知")
    page = client.get(reverse("notices:issued")).text
    assert page.index("第二份通知") < page.index("第一份通知")
