"""The printable notice (公示) of a published meeting: for those who may see the meeting,
the decisions and the notice period the district's rules gave it, nothing personal, and a
QR code that opens the meeting's public page."""

import datetime
import re

import pytest
import segno
from django.urls import reverse
from django.utils import timezone

from councils.models import DistrictRules
from councils.services import meetings as services
from tests.councils.factories import council_meeting

MOTIONS = [
    {
        "title": "增设非机动车棚",
        "votes_for": 3,
        "decision": "同意在3栋旁增设车棚一处",
        "carried_out_by": "院落自治管理小组",
        "due_on": datetime.date(2024, 8, 31),
    },
    {"title": "规范院内停车收费", "votes_for": 1, "votes_against": 2},
]


def notice_url(meeting):
    return reverse("councils:meeting_notice", args=[meeting.pk])


def publish(meeting):
    return services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)


def chinese_day(day):
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture
def published(council):
    return publish(council_meeting(council.organisation, motions=MOTIONS))


def test_the_notice_states_the_decisions_and_who_issues_it(published, council, people, login):
    response = login(people.community).get(notice_url(published))
    assert response.status_code == 200
    page = response.content.decode()
    assert "关于锦里12号院院落民情代表议事会决议的公示" in page
    assert "锦里12号院自治组织于2024年5月10日召开院落民情代表议事会" in page
    assert "增设非机动车棚" in page and "同意在3栋旁增设车棚一处" in page
    assert "院落自治管理小组" in page and "2024-08-31" in page
    assert "规范院内停车收费" in page and "未通过" in page
    assert "3 / 0 / 0" in page and "1 / 2 / 0" in page
    assert "请向院落议事会成员或锦里社区居民委员会反映" in page
    today = chinese_day(timezone.localdate())
    assert f'<p class="notice-issuer">锦里12号院自治组织<br>{today}</p>' in page


def test_the_notice_carries_no_names_and_no_personal_data(published, council, people, login):
    page = login(people.community).get(notice_url(published)).content.decode()
    for membership in [*council.members("representative"), council.member("convener")]:
        assert membership.person.name not in page
        assert membership.person.phone not in page
    assert "出差" not in page  # nobody is absent here, but reasons are never printed
    assert "召集人" not in page and "记录员" not in page  # chair and recorder stay inside


def test_the_notice_period_is_the_districts_notice_days_from_publication(
    council, geo, people, login
):
    DistrictRules.objects.create(district=geo.district, notice_days=10)
    meeting = publish(council_meeting(council.organisation))
    start = timezone.localdate()
    end = start + datetime.timedelta(days=9)
    expected = f"公示期：{chinese_day(start)}至{chinese_day(end)}（共10天）。"
    assert expected in login(people.community).get(notice_url(meeting)).content.decode()
    # a later change of the rules does not rewrite a notice already posted
    DistrictRules.objects.filter(district=geo.district).update(notice_days=3)
    assert expected in login(people.community).get(notice_url(meeting)).content.decode()


def qr_modules(svg):
    """The dark modules of segno's SVG path ("M2 2.5h7m1 0h1…": each h draws a run of dark
    modules on the row), as a set of (row, column), moved to start at (0, 0)."""
    path = re.search(r' d="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            run = int(float(first))
            dark.update((int(y), int(x) + step) for step in range(run))
            x += run
    top = min(row for row, _column in dark)
    left = min(column for _row, column in dark)
    return {(row - top, column - left) for row, column in dark}


def test_the_qr_code_opens_the_meetings_public_page(published, people, login):
    page = login(people.community).get(notice_url(published)).content.decode()
    public_url = "http://testserver" + reverse("councils:public_meeting", args=[published.pk])
    svg = re.search(r'<svg[^>]*class="qr".*?</svg>', page, re.S).group(0)
    code = segno.make(public_url, error="m")
    expected = {
        (row, column)
        for row, line in enumerate(code.matrix)
        for column, module in enumerate(line)
        if module
    }
    assert qr_modules(svg) == expected
    assert f'<span class="url">{public_url}</span>' in page  # for those without a camera


def test_a_draft_has_no_notice_yet(council, people, login):
    draft = council_meeting(council.organisation)
    response = login(people.community).get(notice_url(draft), follow=True)
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert "决议公开后才能打印公示：请先公开本次会议。" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("community", 200),
        ("street_a", 200),
        ("district_staff", 200),
        ("inspector", 200),
        ("street_b", 404),
        ("no_role", 403),
    ],
)
def test_the_notice_follows_who_may_see_the_meeting(published, people, login, persona, expected):
    response = login(getattr(people, persona)).get(notice_url(published))
    assert response.status_code == expected


def test_the_meeting_page_offers_the_notice_once_published(council, people, login):
    draft = council_meeting(council.organisation)
    client = login(people.community)
    assert "打印公示" not in client.get(draft.get_absolute_url()).content.decode()
    publish(draft)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert f'href="{notice_url(draft)}">打印公示</a>' in page
