"""A street's hand-kept register of concerns (民情诉求登记台账), imported on /concerns/import/
as the clerk made it in Excel: a merged title row, a community name with a trailing space,
dates typed as text. A wrong row saves nothing and is named by row and column; the
corrected file imports each concern through the services (timeline and history); the same
file imported again adds nothing."""

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from concerns.models import Concern, ConcernEvent
from tests.concerns.factories import a_concern

URL = reverse("concerns:import")
HEADER = [
    "序号",
    "受理编号",
    "受理时间",
    "社区",
    "院落",
    "反映人",
    "联系电话",
    "渠道",
    "类别",
    "诉求内容",
    "办理类别",
    "答复时间",
    "办结时间",
    "满意度",
]


def clerks_workbook(community_of_row_4="锦里社区 "):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "5月台账"
    sheet.append(["浆洗街街道民情诉求登记台账（2026年5月）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    sheet.append(
        [
            1,
            "2026-浆洗街-0153",
            "2026年5月8日",
            "锦里社区 ",
            "锦里12号院",
            "王秀英",
            "13812345678",
            "电话",
            "设施维修",
            "楼道灯坏了",
            "街道自办",
            "2026/5/8",
            datetime.datetime(2026, 5, 11),
            "满意",
        ]
    )
    sheet.append(
        [
            2,
            "",
            "２０２６年５月９日",
            community_of_row_4,
            "",
            "",
            "",
            "来访",
            "停车管理",
            "院坝乱停车",
            2,
            "",
            "",
            "",
        ]
    )
    sheet.append(["填表人：李华"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content):
    return client.post(URL, {"import_file": SimpleUploadedFile("台账.xlsx", content)})


def confirm(client, preview):
    return client.post(URL, {**preview.context["confirm"], "confirm": "1"})


def test_the_register_offers_the_import_to_the_street_not_to_the_community(people, login):
    assert URL in login(people.street_a).get("/concerns/").text
    assert URL not in login(people.community).get("/concerns/").text
    assert login(people.community).get(URL).status_code == 403
    template = login(people.street_a).get(reverse("concerns:import_template"))
    header = next(openpyxl.load_workbook(io.BytesIO(template.content)).active.values)
    assert {"受理编号", "受理时间", "社区", "反映人", "联系电话", "办理类别", "满意度"} <= set(
        header
    )


def test_a_clerks_register_is_refused_then_imported_then_not_duplicated(geo, people, login):
    client = login(people.street_a)
    wrong = upload(client, clerks_workbook(community_of_row_4="九眼桥社区"))
    problems = [(p.row, p.column) for p in wrong.context["problems"]]
    assert problems == [("第4行", "社区")]
    assert "九眼桥社区" in wrong.text
    assert not Concern.objects.exists() and not ConcernEvent.objects.exists()

    preview = upload(client, clerks_workbook())
    assert not preview.context["problems"]
    assert preview.context["result"].totals["new"] == 2
    assert not Concern.objects.exists()
    response = confirm(client, preview)
    assert response.status_code == 302

    kept = Concern.objects.get(number="2026-浆洗街-0153")
    assert kept.community == geo.community_a1 and kept.courtyard == geo.courtyard_a1
    assert timezone.localdate(kept.received_at) == datetime.date(2026, 5, 8)
    assert kept.routing == 1 and kept.answered_on == datetime.date(2026, 5, 8)
    assert timezone.localdate(kept.resolved_at) == datetime.date(2026, 5, 11)
    assert kept.satisfaction == "satisfied" and kept.received_by == people.street_a
    assert list(kept.events.values_list("kind", flat=True)) == [
        "received",
        "classified",
        "answered",
        "resolved",
        "return_visit",
        "note",
    ]
    assert kept.history.first().history_user == people.street_a
    given = Concern.objects.exclude(pk=kept.pk).get()
    assert given.number == "2026-浆洗街-0154"  # the portal's number follows the register's
    assert given.anonymous and given.routing == 2 and given.answered_at is None

    again = upload(client, clerks_workbook())
    assert not again.context["problems"]
    assert again.context["result"].totals["new"] == 0
    confirm(client, again)
    assert Concern.objects.count() == 2
    assert ConcernEvent.objects.count() == 9


def test_a_later_register_adds_the_steps_recorded_since(geo, people, login):
    client = login(people.street_a)
    confirm(client, upload(client, clerks_workbook()))
    book = openpyxl.load_workbook(io.BytesIO(clerks_workbook()))
    book.active["L4"] = "2026-5-11"
    buffer = io.BytesIO()
    book.save(buffer)
    preview = upload(client, buffer.getvalue())
    assert preview.context["result"].totals["update"] == 1
    confirm(client, preview)
    answered = Concern.objects.get(text="院坝乱停车")
    assert answered.answered_on == datetime.date(2026, 5, 11)
    assert Concern.objects.count() == 2


def test_another_streets_number_is_refused(geo, people, login):
    theirs = a_concern(people.street_b, geo.community_b1)
    book = openpyxl.load_workbook(io.BytesIO(clerks_workbook()))
    book.active["B3"] = theirs.number
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(login(people.street_a), buffer.getvalue())
    assert [(p.row, p.column) for p in response.context["problems"]] == [("第3行", "受理编号")]
    assert Concern.objects.count() == 1


def test_the_district_staff_import_without_the_phone_column(geo, people, login):
    response = upload(login(people.district_staff), clerks_workbook())
    assert "联系电话" in response.text and "个人信息" in response.text
    assert not Concern.objects.exists()
