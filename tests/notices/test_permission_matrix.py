"""What every persona meets on every notices page (the security matrix delegates them here):
without the permission 403; a notice neither written by nor sent to the user's unit 404; a
draft only to the unit writing it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notices import services
from notices.models import Notice, Recipient
from tests.notices.test_returns import a_workbook

PERSONAS = [
    "district_admin",
    "district_staff",
    "street_a",
    "street_b",
    "community",
    "inspector",
    "no_role",
]
NO_ROLE = {"inspector": 403, "no_role": 403}
# The district receives nothing: its list is the notices it issued.
LIST = {"district_admin": 302, "district_staff": 302, "street_a": 200, "street_b": 200,
        "community": 200, **NO_ROLE}  # fmt: skip
WRITERS = {"district_admin": 200, "district_staff": 200, "street_a": 200, "street_b": 200,
           "community": 403, **NO_ROLE}  # fmt: skip
# Street A's notice to its communities: street B and its communities do not see it.
STREETS_NOTICE = {**WRITERS, "street_b": 404, "community": 200}
STREETS_DRAFT = {**WRITERS, "district_admin": 404, "district_staff": 404, "street_b": 404}
# Posted: issuing answers with the notice's page (302) to its writer only; acknowledging to
# the units it was sent to.
ISSUE = {**STREETS_DRAFT, "street_a": 302}
ACKNOWLEDGE = {"district_admin": 403, "district_staff": 403, "street_a": 404, "street_b": 404,
               "community": 302, **NO_ROLE}  # fmt: skip

# Returns: the gathered workbook is the issuer's; a unit's filled-in template the issuer's
# and the unit's own; a unit answers its own row.
GATHERED = {**STREETS_NOTICE, "district_admin": 404, "district_staff": 404, "community": 404}
ANSWER_FILE = {**GATHERED, "community": 200}
ANSWER = {**ACKNOWLEDGE, "street_a": 404}

GETS = {
    "notices:list": (None, LIST),
    "notices:issued": (None, WRITERS),
    "notices:new": (None, WRITERS),
    "notices:detail": ("issued", STREETS_NOTICE),
    "notices:edit": ("draft", STREETS_DRAFT),
    "notices:return": ("draft", STREETS_DRAFT),
    "notices:template": ("issued", STREETS_NOTICE),
    "notices:returns_workbook": ("issued", GATHERED),
    "notices:answer_file": ("answer", ANSWER_FILE),
}
POSTS = {
    "notices:issue": ("draft", ISSUE),
    "notices:acknowledge": ("issued", ACKNOWLEDGE),
    "notices:answer": ("issued", ANSWER),
}


@pytest.fixture
def world(geo, people):
    def draft(title):
        return services.notice_write(
            by=people.street_a,
            district=geo.district,
            street=geo.street_a,
            audience="communities",
            title=title,
            text="请各社区于月底前完成自查。",
            reply_by=None,
        )

    notice = draft("关于年度自查的通知")
    services.return_write(
        notice,
        by=people.street_a,
        returns_by=datetime.date.today() + datetime.timedelta(days=5),
        fields=[
            {"label": "自查情况", "kind": "text", "choices": "", "required": False, "source": ""}
        ],
        template=SimpleUploadedFile("模板.xlsx", a_workbook()),
    )
    issued = services.notice_issue(notice, by=people.street_a)
    own = Recipient.objects.get(notice=issued, community=geo.community_a1)
    answer = services.answer_save(
        own, by=people.community, values={}, file=SimpleUploadedFile("填好.xlsx", a_workbook())
    )
    return {"issued": issued.pk, "draft": draft("草稿").pk, "answer": answer.pk}


def _url(name, target, world):
    return reverse(name, args=[world[target]] if target else [])


@pytest.mark.parametrize("name", sorted(GETS))
def test_every_persona_on_every_page(name, world, people, login):
    target, expected = GETS[name]
    met = {
        p: login(getattr(people, p)).get(_url(name, target, world)).status_code for p in PERSONAS
    }
    assert met == expected


@pytest.mark.parametrize("name", sorted(POSTS))
def test_every_persona_on_every_step(name, world, people, login):
    target, expected = POSTS[name]
    met = {}
    for persona in PERSONAS:
        met[persona] = login(getattr(people, persona)).post(_url(name, target, world)).status_code
        Notice.objects.filter(pk=world["draft"]).update(issued_at=None)  # each tries afresh
    assert met == expected


@pytest.mark.parametrize("name", sorted(POSTS))
def test_steps_only_take_a_post(name, world, people, login):
    target, _expected = POSTS[name]
    assert login(people.street_a).get(_url(name, target, world)).status_code == 405
