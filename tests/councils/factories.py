"""Builders for councils tests. Organisations and elections go through the services, as
pages do, so a test starts from data the rules allow."""

import datetime
import itertools

import factory

from councils import services
from councils.models import Body, Person
from tests.factories import CourtyardFactory

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["秀英", "建国", "桂芳", "志强", "玉兰", "德明", "淑华", "国庆", "丽娟", "文斌"]
_names = itertools.count()


def a_name():
    n = next(_names)
    return f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[(n // len(SURNAMES)) % len(GIVEN)]}{n}"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    courtyard = factory.SubFactory(CourtyardFactory)
    name = factory.LazyFunction(a_name)
    gender = Person.Gender.FEMALE
    birth_year = 1962
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    building = "3栋"
    unit = "2单元"
    political_status = Person.PoliticalStatus.PARTY_MEMBER
    education = Person.Education.SENIOR
    occupation = "退休职工"


def organisation_for(*courtyards, name=None, set_up_on=datetime.date(2023, 1, 10), by=None):
    community = courtyards[0].community
    return services.organisation_create(
        community=community,
        name=name or f"{courtyards[0].name}自治组织",
        set_up_on=set_up_on,
        courtyards=courtyards,
        by=by,
    )


def body_of(organisation, kind):
    return Body.objects.get(organisation=organisation, kind=kind)


def elect(
    organisation,
    kind,
    roles,
    *,
    held_on=datetime.date(2023, 3, 1),
    seats=None,
    people=None,
    courtyard=None,
    by=None,
    election_kind="general",
    **extra,
):
    """A valid election of `roles` (e.g. ["convener", "representative"]) to the body of
    `kind`; new people living in the organisation's first courtyard unless `people`."""
    courtyard = courtyard or organisation.coverage.first().courtyard
    people = people or [PersonFactory(courtyard=courtyard) for _role in roles]
    candidates = [
        {"person": person, "votes": 80 - index, "elected": True, "role": role}
        for index, (person, role) in enumerate(zip(people, roles, strict=True))
    ]
    return services.election_record(
        body=body_of(organisation, kind),
        kind=election_kind,
        method="households",
        held_on=held_on,
        eligible_voters=100,
        votes_cast=90,
        candidates=candidates,
        seats=seats or len(roles) if election_kind == "general" else None,
        by=by,
        **extra,
    )


# Meetings

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf_upload(name="签字纪要.pdf", content=PDF_BYTES):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def council_meeting(
    organisation,
    *,
    held_on=datetime.date(2024, 5, 10),
    present=None,
    motions=None,
    files=(),
    by=None,
):
    """A draft council meeting: the members serving that day, all present unless
    `present` says how many (roll order), and one adopted motion unless `motions`."""
    from councils.services import meetings as meeting_services

    body = body_of(organisation, "council")
    members = list(meeting_services.roll(body, held_on))
    present = len(members) if present is None else present
    attendance = [
        {
            "membership": m,
            "present": i < present,
            "absence_reason": "" if i < present else "出差",
        }
        for i, m in enumerate(members)
    ]
    if motions is None:
        motions = [{"title": "增设非机动车棚", "votes_for": present, "decision": "同意增设车棚"}]
    return meeting_services.meeting_record(
        organisation=organisation,
        kind="council",
        minutes=meeting_services.Minutes(
            fields={
                "held_on": held_on,
                "place": "院落议事室",
                "chair": "召集人",
                "recorder": "记录员",
                "agenda": "1. 车棚",
            },
            attendance=attendance,
            motions=motions,
            files=files,
        ),
        by=by,
    )
