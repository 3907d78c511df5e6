"""Returns on notices (issue 22 point 3, second part): the issuer asks for a return of a few
fields, some filled in from the records; each unit answers on the notice's page; the issuer
sees who has answered and who is late, and downloads the answers in one workbook."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from notices import services
from notices.models import Answer, Notice, Recipient, ReturnField
from portal.roles import Role
from reminders.models import Reminder
from reminders.services import remind
from tests.factories import user_with_role

TODAY = timezone.localdate()
LATE = 'class="badge bad">逾期'


def a_workbook(text="填报模板"):
    book = openpyxl.Workbook()
    book.active["A1"] = text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def field_rows(*rows):
    """The return page's formset data for these field rows."""
    data = {
        "fields-TOTAL_FORMS": str(len(rows)),
        "fields-INITIAL_FORMS": "0",
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        values = {"required": "on", "ORDER": str(number + 1), **row}
        data.update({f"fields-{number}-{name}": value for name, value in values.items()})
    return data


FIELDS = [
    {"label": "院落户数", "kind": "number", "source": "households"},
    {"label": "议事会开会次数", "kind": "number", "source": "council_meetings"},
    {"label": "自查情况", "kind": "text"},
    {"label": "自查结论", "kind": "choice", "choices": "合格\n基本合格\n不合格"},
]


def a_notice(by, district, street=None, returns_by=None, fields=FIELDS, **extra):
    notice = services.notice_write(
        by=by,
        district=district,
        street=street,
        audience="communities",
        title="关于报送院落自治年度自查表的通知",
        text="请各社区填报自查表。",
        reply_by=None,
    )
    services.return_write(
        notice,
        by=by,
        returns_by=returns_by or TODAY + datetime.timedelta(days=5),
        fields=[{"choices": "", "required": True, "source": "", **field} for field in fields],
        **extra,
    )
    return notice


@pytest.fixture
def issued(geo, people):
    notice = a_notice(people.district_staff, geo.district)
    return services.notice_issue(notice, by=people.district_staff)


def answer_data(notice, **values):
    fields = {f.label: f for f in notice.fields.all()}
    defaults = {
        "院落户数": "200",
        "议事会开会次数": "0",
        "自查情况": "已完成自查",
        "自查结论": "合格",
    }
    return {f"field_{fields[label].pk}": value for label, value in {**defaults, **values}.items()}


def test_the_district_sets_a_return_on_a_draft_through_its_page(geo, people, login):
    client = login(people.district_staff)
    notice = services.notice_write(
        by=people.district_staff,
        district=geo.district,
        audience="communities",
        title="年度自查",
        text="请填报。",
        reply_by=None,
    )
    url = reverse("notices:return", args=[notice.pk])
    assert client.get(url).status_code == 200
    data = {
        "returns_by": (TODAY + datetime.timedelta(days=3)).isoformat(),
        "template": SimpleUploadedFile("模板.xlsx", a_workbook()),
        **field_rows(
            {"label": "自查情况", "kind": "text", "ORDER": "2"},
            {"label": "院落户数", "kind": "number", "source": "households", "ORDER": "1"},
        ),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert [f.label for f in notice.fields.all()] == ["院落户数", "自查情况"]
    assert notice.returns_by == TODAY + datetime.timedelta(days=3) and notice.template
    page = client.get(notice.get_absolute_url()).text
    assert "院落户数" in page and "修改报表" in page
    template = client.get(reverse("notices:template", args=[notice.pk]))
    assert b"".join(template.streaming_content).startswith(b"PK")
    # a second save keeps the template and replaces the fields
    again = {"returns_by": data["returns_by"], **field_rows({"label": "自查情况", "kind": "text"})}
    assert client.post(url, again).status_code == 302
    notice.refresh_from_db()
    assert [f.label for f in notice.fields.all()] == ["自查情况"] and notice.template


def test_bad_return_fields_are_named_in_chinese_and_nothing_is_stored(geo, people, login):
    client = login(people.district_staff)
    notice = services.notice_write(
        by=people.district_staff,
        district=geo.district,
        audience="communities",
        title="年度自查",
        text="请填报。",
        reply_by=None,
    )
    url = reverse("notices:return", args=[notice.pk])
    data = {
        "returns_by": "",
        "template": SimpleUploadedFile("模板.xlsx", b"%PDF-1.4 not a workbook"),
        **field_rows(
            {"label": "结论", "kind": "choice"},
            {"label": "情况", "kind": "text", "source": "households"},
        ),
    }
    page = client.post(url, data).text
    assert "不是Excel工作簿" in page
    assert "请填写选项，每行一项" in page
    assert "取自系统记录的字段须为数字" in page
    data.pop("template")
    data.update(field_rows({"label": "情况", "kind": "text"}))
    assert "请填写报表的截止日期" in client.post(url, data).text
    assert not ReturnField.objects.exists()
    notice.refresh_from_db()
    assert notice.returns_by is None and not notice.template


def test_a_unit_answers_with_figures_from_the_records_and_corrects_it(issued, geo, people, login):
    member = login(people.community)
    page = member.get(issued.get_absolute_url()).text
    assert 'value="200"' in page  # 锦里社区: 120 + 80 households
    assert "取自系统记录" in page and "户数合计" in page
    received = member.get(reverse("notices:list")).text
    day = issued.returns_by
    assert f"需填报，截止{day.month}月{day.day}日" in received
    response = member.post(reverse("notices:answer", args=[issued.pk]), answer_data(issued))
    assert response.status_code == 302
    answer = Answer.objects.get()
    households = issued.fields.get(label="院落户数")
    assert answer.values[str(households.pk)] == "200"
    assert answer.prefilled == {
        str(households.pk): "200",
        str(issued.fields.get(label="议事会开会次数").pk): "0",
    }
    assert answer.submitted_by == people.community and not answer.changed(households.pk)
    # the unit corrects a figure: both kept, marked changed, the correction in history
    member.post(reverse("notices:answer", args=[issued.pk]), answer_data(issued, 院落户数="210"))
    answer.refresh_from_db()
    assert answer.values[str(households.pk)] == "210" and answer.changed(households.pk)
    assert answer.history.count() == 2 and answer.corrected_at is not None
    assert [h.values[str(households.pk)] for h in answer.history.order_by("history_date")] == [
        "200",
        "210",
    ]
    page = member.get(issued.get_absolute_url()).text
    assert "已改动" in page and "系统记录为 200" in page and "修改于" in page
    assert 'value="210"' in page
    assert "修改于" in login(people.district_staff).get(issued.get_absolute_url()).text
    # the issuer's list counts the units that have answered: one of the three communities
    issued_list = login(people.district_staff).get(reverse("notices:issued")).text
    assert 'data-label="已填报">1 / 3</td>' in issued_list


def test_bad_answers_are_named_in_chinese_and_nothing_is_stored(issued, people, login):
    member = login(people.community)
    url = reverse("notices:answer", args=[issued.pk])
    page = member.post(url, answer_data(issued, 院落户数="两百", 自查情况="")).text
    assert "院落户数" in page and "输入一个数字" in page
    assert "自查情况" in page and "这个字段是必填项" in page
    assert not Answer.objects.exists()
    dated = a_notice(
        people.district_staff,
        issued.district,
        fields=[{"label": "自查日期", "kind": "date"}],
    )
    services.notice_issue(dated, by=people.district_staff)
    field = dated.fields.get()
    page = member.post(
        reverse("notices:answer", args=[dated.pk]), {f"field_{field.pk}": "2026年13月40日"}
    ).text
    assert "输入一个有效的日期" in page
    assert not Answer.objects.exists()


def test_scope_another_streets_notice_and_another_units_answer_are_not_found(geo, people, login):
    notice = a_notice(
        people.street_a,
        geo.district,
        street=geo.street_a,
        fields=[{"label": "情况", "kind": "text"}],
        template=SimpleUploadedFile("模板.xlsx", a_workbook()),
    )
    services.notice_issue(notice, by=people.street_a)
    member = login(people.community)
    field = notice.fields.get()
    member.post(
        reverse("notices:answer", args=[notice.pk]),
        {
            f"field_{field.pk}": "已完成",
            "file": SimpleUploadedFile("填好的.xlsx", a_workbook("锦里社区")),
        },
    )
    answer = Answer.objects.get()
    file_url = reverse("notices:answer_file", args=[answer.pk])
    assert member.get(file_url).status_code == 200
    assert login(people.street_a).get(file_url).status_code == 200
    other = login(people.street_b)
    for name in ("detail", "returns_workbook", "template"):
        assert other.get(reverse(f"notices:{name}", args=[notice.pk])).status_code == 404
    assert other.get(file_url).status_code == 404
    # another community of the same street answers the notice but never sees this answer
    neighbour = login(user_with_role(Role.COMMUNITY_MEMBER, geo.community_a2, username="sq_a2"))
    assert neighbour.get(notice.get_absolute_url()).status_code == 200
    assert neighbour.get(file_url).status_code == 404
    assert "已完成" not in neighbour.get(notice.get_absolute_url()).text
    assert neighbour.get(reverse("notices:returns_workbook", args=[notice.pk])).status_code == 404


def test_late_answers_are_marked_and_the_late_reminded_until_they_answer(issued, people, login):
    remind(TODAY, quiet=True)
    assert not Reminder.objects.filter(kind="return_due").exists()  # five days ahead
    remind(issued.returns_by - datetime.timedelta(days=3), quiet=True)
    reminded = Reminder.objects.filter(kind="return_due", settled_at__isnull=True)
    assert set(reminded.values_list("user__username", flat=True)) == {"sq_a1"}
    assert reminded.get().get_kind_display() == "报表待填报"
    Notice.objects.filter(pk=issued.pk).update(returns_by=TODAY - datetime.timedelta(days=1))
    issued.refresh_from_db()
    issuer = login(people.district_staff)
    page = issuer.get(issued.get_absolute_url()).text
    assert page.count(LATE) == 3 and "3个接收单位中已填报0个，逾期3个" in page
    member = login(people.community)
    member.post(reverse("notices:answer", args=[issued.pk]), answer_data(issued))
    assert Answer.objects.get().recipient.return_is_late()
    remind(TODAY, quiet=True)
    assert not reminded.exists()
    page = issuer.get(issued.get_absolute_url()).text
    assert "3个接收单位中已填报1个，逾期3个" in page
    on_time = Recipient.objects.get(community__name="九眼桥社区")
    Answer.objects.create(recipient=on_time, values={}, submitted_at=timezone.now())
    Notice.objects.filter(pk=issued.pk).update(returns_by=TODAY)
    assert not Recipient.objects.get(pk=on_time.pk).return_is_late()


def test_the_gathered_workbook_has_a_row_per_unit_and_a_sheet_of_definitions(issued, people, login):
    login(people.community).post(
        reverse("notices:answer", args=[issued.pk]), answer_data(issued, 院落户数="210")
    )
    response = login(people.district_staff).get(
        reverse("notices:returns_workbook", args=[issued.pk])
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    gathered, definitions = book.worksheets
    rows = [[cell.value for cell in row] for row in gathered.iter_rows(min_row=4)]
    header, *units = rows
    assert header[:5] == ["序号", "街道", "社区", "填报情况", "填报时间"]
    assert header[5:] == [
        "院落户数",
        "院落户数：来源",
        "议事会开会次数",
        "议事会开会次数：来源",
        "自查情况",
        "自查结论",
    ]
    by_unit = {row[2]: row for row in units}
    assert set(by_unit) == {"锦里社区", "洗面桥社区", "九眼桥社区"}
    jinli = by_unit["锦里社区"]
    assert jinli[3] == "已填报" and jinli[5:] == [
        210,
        "已改动，系统记录为 200",
        0,
        "取自系统记录",
        "已完成自查",
        "合格",
    ]
    assert by_unit["九眼桥社区"][3] == "未填报" and by_unit["九眼桥社区"][5] is None
    definitions_rows = [[c.value for c in row] for row in definitions.iter_rows(min_row=5)]
    assert definitions_rows[0][1:4] == ["院落户数", "数字", "是"]
    assert "户数合计" in definitions_rows[0][6]
    assert definitions_rows[3][4] == "合格、基本合格、不合格"
    # a unit does not download it
    member = login(people.community)
    assert member.get(reverse("notices:returns_workbook", args=[issued.pk])).status_code == 404


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_issuer_and_answer_pages_read_the_same_rows_at_any_size(geo, people, login):
    from tests.factories import CommunityFactory, CourtyardFactory

    issuer, member = login(people.district_staff), login(people.community)

    def measure():
        notice = services.notice_issue(
            a_notice(people.district_staff, geo.district), by=people.district_staff
        )
        for row in Recipient.objects.filter(notice=notice).exclude(community=geo.community_a1):
            services.answer_save(row, by=None, values={})
        url = notice.get_absolute_url()
        return {
            "issuer": _queries(issuer, url),
            "answer": _queries(member, url),
            "received": _queries(member, reverse("notices:list")),
        }

    small = measure()
    assert small == {"issuer": 8, "answer": 11, "received": 7}
    for number in range(12):
        community = CommunityFactory(street=geo.street_b, name=f"新社区{number}")
        CourtyardFactory(community=community, households=10)
    CourtyardFactory(community=geo.community_a1, households=5)
    assert measure() == small
    assert Recipient.objects.filter(notice=Notice.objects.latest("pk")).count() == 15
