"""A year of demo meetings. In 长寿苑社区 (the demo community member's) they go through
councils.services.meetings as the pages do: council meetings most months, the group each
quarter, a residents' meeting, a joint meeting, an open-air consultation (坝坝会) whose
motions record a consensus and opinions (no vote of households), signed minutes attached
to some, one draft, one revision and an objection. Elsewhere councils meet every two or
three months, written in bulk; about one council in seven has not met for half a year (a
council on paper only)."""

import datetime

from django.core.files.base import ContentFile
from simple_history.utils import bulk_create_with_history

from councils.models import Attendance, Body, Meeting, Membership, Motion, Organisation
from councils.models.meetings import notice_end
from councils.services import meetings as services

TOPICS = [
    (
        "增设非机动车棚",
        "同意在院内空地增设非机动车棚一处，费用从专项资金列支。",
        "院落自治管理小组",
    ),
    ("更换院落照明灯具", "同意更换院内路灯8盏，由自治管理小组询价后实施。", "院落自治管理小组"),
    ("规范院内停车收费", "同意按每车每月30元收取停车管理费，收支每季度公示。", "院落自治管理小组"),
    ("清理楼道堆放杂物", "同意开展楼道杂物清理，楼栋长逐户告知。", "楼栋长"),
    ("修缮化粪池", "同意报社区申请维修，院落自筹部分按户分摊。", "院落自治管理小组"),
    ("院落绿化补植", "同意补植桂花树6株，居民志愿认养。", "民情代表"),
    ("修订院落居民公约", "同意将文明养犬条款写入居民公约，提交居民会议表决。", "召集人"),
    ("安装门禁系统", "同意安装门禁，费用由专项资金和居民自筹共同承担。", "院落自治管理小组"),
    ("老年人助餐点选址", "同意在院落活动室设立助餐点，由社区协调运营方。", "社区居委会"),
    ("消防通道整治", "同意清理占用消防通道的车辆和杂物，每月巡查一次。", "院落自治管理小组"),
]
PLACES = ["院落议事室", "院落活动室", "社区会议室", "院坝"]
CHAIRS = {
    "council": "召集人",
    "meeting": "召集人",
    "group": "组长",
    "joint": "社区居委会主任",
    "consultation": "召集人",
}
REASONS = ["出差", "生病", "外出探亲", "家中有事"]
PDF = b"%PDF-1.4\n% demo signed minutes\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def build(rng, by, today, district, showcase):
    organisations = Organisation.objects.filter(
        community__street__district=district, dissolved_on__isnull=True
    ).exclude(status=Organisation.Status.PREPARING)
    if Meeting.objects.filter(organisation__in=organisations).exists():
        return
    start = today - datetime.timedelta(days=365)
    for organisation in organisations.filter(community=showcase).order_by("pk"):
        _Showcase(rng, by, today, start).record(organisation)
    _bulk(rng, by, today, start, organisations.exclude(community=showcase))


def _motions(rng, count, present, quorum=True):
    rows = []
    for title, decision, carrier in rng.sample(TOPICS, count):
        votes_for = rng.randint(present // 2 + 1, present) if rng.random() < 0.85 else 0
        against = rng.randint(0, present - votes_for)
        rows.append(
            {
                "title": title,
                "discussion": "与会人员充分讨论，意见基本一致。",
                "votes_for": votes_for,
                "votes_against": against,
                "votes_abstain": present - votes_for - against,
                "decision": decision if votes_for * 2 > present and quorum else "",
                "carried_out_by": carrier,
            }
        )
    return rows


class _Showcase:
    def __init__(self, rng, by, today, start):
        self.rng, self.by, self.today, self.start = rng, by, today, start

    def save(self, organisation, kind, day, *, attendance=(), motions=(), files=(), **extra):
        fields = {
            "held_on": day,
            "start_time": datetime.time(19, 30),
            "place": self.rng.choice(PLACES),
            "chair": CHAIRS[kind],
            "recorder": "民情代表",
            "agenda": "、".join(m["title"] for m in motions),
            "minutes": "会议由召集人主持，逐项讨论并表决。",
            **extra.pop("fields", {}),
        }
        minutes = services.Minutes(
            fields=fields, attendance=attendance, motions=motions, files=files, **extra
        )
        meeting = services.meeting_record(
            organisation=organisation, kind=kind, minutes=minutes, by=self.by
        )
        return meeting

    def publish(self, meeting, after_days):
        # published a few days after the meeting: the notice runs from then
        day = min(meeting.held_on + datetime.timedelta(days=after_days), self.today)
        services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=self.by)
        notice = (meeting.notice_ends_on - meeting.published_on).days + 1
        Meeting.objects.filter(pk=meeting.pk).update(
            published_on=day,
            published_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC),
            published_after_days=(day - meeting.held_on).days,
            notice_ends_on=notice_end(day, notice),
        )
        meeting.refresh_from_db()
        return meeting

    def revise_and_object(self, organisation, meeting):
        """A council meeting's first decision marked done, as a revision with its reason."""
        meeting = Meeting.objects.get(pk=meeting.pk)
        motions = list(meeting.motions.order_by("number"))
        services.meeting_revise(
            meeting=meeting,
            seen_version=meeting.version,
            minutes=services.Minutes(
                fields={
                    name: getattr(meeting, name)
                    for name in ("held_on", "start_time", "place", "chair", "recorder", "agenda")
                }
                | {"minutes": meeting.minutes},
                attendance=[
                    {
                        "membership": a.membership,
                        "present": a.present,
                        "absence_reason": a.absence_reason,
                    }
                    for a in meeting.attendance.select_related("membership__person")
                ],
                motions=[
                    {
                        **{name: getattr(m, name) for name in services.MOTION_FIELDS},
                        "id": m.pk,
                        "deferred": m.outcome == Motion.Outcome.DEFERRED and meeting.quorum,
                        "done_on": self.today if index == 0 else m.done_on,
                    }
                    for index, m in enumerate(motions)
                ],
            ),
            reason="补记决议落实情况",
            by=self.by,
        )

    def consult(self, organisation, day):
        """A 坝坝会 in the courtyard: a few of its households come; what they said is
        recorded as a consensus or as opinions, with no quorum and no vote."""
        meeting = self.save(
            organisation,
            "consultation",
            day,
            participants_count=self.rng.randint(15, 30),
            motions=[
                {
                    "title": "院坝夏季纳凉活动安排",
                    "discussion": "居民围坐院坝，各抒己见。",
                    "consensus": True,
                    "decision": "大家同意每周五晚在院坝开展纳凉活动，由楼栋长轮流组织。",
                    "carried_out_by": "楼栋长",
                },
                {
                    "title": "院内晾晒区调整",
                    "discussion": "部分居民希望增设晾衣架，部分居民担心占用通道。",
                    "decision": "意见已记录，提交民情代表议事会研究。",
                    "carried_out_by": "民情代表议事会",
                },
            ],
            fields={
                "place": "院坝",
                "participants": "社区网格员",
                "minutes": "坝坝会由召集人主持，居民自由发言，不作表决。",
            },
        )
        self.publish(meeting, 2)

    def roll_call(self, body, day):
        members = list(services.roll(body, day))
        present = len(members) - (1 if len(members) > 2 and self.rng.random() < 0.6 else 0)
        return [
            {
                "membership": m,
                "present": i < present,
                "absence_reason": "" if i < present else self.rng.choice(REASONS),
            }
            for i, m in enumerate(members)
        ], present

    def record(self, organisation):
        rng = self.rng
        council = Body.objects.get(organisation=organisation, kind=Body.Kind.COUNCIL)
        group = Body.objects.get(organisation=organisation, kind=Body.Kind.GROUP)
        last = None
        for month in range(12, 0, -1):
            day = self.today - datetime.timedelta(days=30 * month - rng.randint(0, 10))
            if day < organisation.set_up_on or rng.random() < 0.2:
                continue
            attendance, present = self.roll_call(council, day)
            if not present:
                continue
            files = []
            if rng.random() < 0.4:
                files.append(ContentFile(PDF, name=f"议事会会议记录{day:%Y%m%d}.pdf"))
            if rng.random() < 0.2:
                files.append(ContentFile(PNG, name=f"会议照片{day:%Y%m%d}.png"))
            last = self.save(
                organisation,
                "council",
                day,
                attendance=attendance,
                motions=_motions(rng, rng.randint(1, 3), present),
                files=files,
            )
            self.publish(last, rng.choice([1, 2, 3, 5, 6, 10, 15]))
            if month % 3 == 0:
                attendance, present = self.roll_call(group, day + datetime.timedelta(days=2))
                if present:
                    meeting = self.save(
                        organisation,
                        "group",
                        day + datetime.timedelta(days=2),
                        attendance=attendance,
                        motions=_motions(rng, 1, present),
                    )
                    self.publish(meeting, 3)
        first = max(self.start, organisation.set_up_on) + datetime.timedelta(days=40)
        households = services.households_covered(organisation, first)
        if households and first < self.today:
            present = households // 2 + rng.randint(1, max(1, households // 4))
            proxies = min(3, present)
            meeting = self.save(
                organisation,
                "meeting",
                first,
                motions=_motions(rng, 1, present),
                households_present=present - proxies,
                files=[ContentFile(PDF, name="居民会议签到表.pdf")],
                fields={
                    "households_by_proxy": proxies,
                    "proxies": "\n".join(
                        f"{n + 1}栋1单元{n + 1}01 由家属代理" for n in range(proxies)
                    ),
                    "other_attendees": rng.randint(3, 12),
                },
            )
            self.publish(meeting, 2)
        joint = self.save(
            organisation,
            "joint",
            min(first + datetime.timedelta(days=60), self.today),
            participants_count=3,
            motions=[
                {
                    "title": "电梯维修费用分摊",
                    "votes_for": 3,
                    "decision": "按住房面积分摊，由物业公司公示明细。",
                    "carried_out_by": "物业公司",
                }
            ],
            fields={"participants": "社区居委会主任、业委会主任、物业公司项目经理"},
        )
        self.publish(joint, 4)
        self.consult(organisation, min(first + datetime.timedelta(days=90), self.today))
        if last is not None:
            self.revise_and_object(organisation, last)
        recent = self.today - datetime.timedelta(days=3)
        attendance, present = self.roll_call(council, recent)
        if present:
            meeting = self.save(
                organisation,
                "council",
                recent,
                attendance=attendance,
                motions=_motions(rng, 2, present),
            )
            meeting = self.publish(meeting, 3)  # in its notice period: a resident objects
            services.objection_record(
                motion=meeting.motions.order_by("number").first(),
                received_on=self.today,
                summary="居民反映该事项应先征求全体住户意见。",
                by=self.by,
            )
        attendance, present = self.roll_call(council, self.today)
        if present:
            self.save(
                organisation,
                "council",
                self.today,
                attendance=attendance,
                motions=_motions(rng, 2, present),
            )  # a draft, to be published


def _bulk(rng, by, today, start, organisations):
    """Council meetings every two or three months, with their roll call and motions."""
    members = {}
    for membership in Membership.objects.filter(
        body__organisation__in=organisations, body__kind=Body.Kind.COUNCIL
    ).select_related("body"):
        members.setdefault(membership.body, []).append(membership)
    planned = plan_council_meetings(rng, today, start, members, by=by)
    bulk_create_with_history([m for m, _s, _p in planned], Meeting, batch_size=500, default_user=by)
    attendance, motions = rows_of(rng, planned)
    bulk_create_with_history(attendance, Attendance, batch_size=1000, default_user=by)
    bulk_create_with_history(motions, Motion, batch_size=1000, default_user=by)


def plan_council_meetings(rng, today, start, members, by=None):
    """Unsaved published council meetings from `start` to a few days ago, every two or
    three months, for each body of `members` ({body: [memberships]}); about one council in
    seven stops meeting half a year ago. Returns [(meeting, serving, present)]."""
    planned = []
    for body, memberships in sorted(members.items(), key=lambda item: item[0].pk):
        idle = rng.random() < 0.15
        day = start + datetime.timedelta(days=rng.randint(0, 40))
        while day <= today - datetime.timedelta(days=3):
            if idle and day > today - datetime.timedelta(days=190):
                break
            serving = [m for m in memberships if m.is_serving_on(day)]
            if serving:
                present = len(serving) - (1 if len(serving) > 2 and rng.random() < 0.5 else 0)
                after = rng.choice([1, 2, 3, 4, 6, 9, 14])
                published = min(day + datetime.timedelta(days=after), today)
                meeting = Meeting(
                    organisation_id=body.organisation_id,
                    kind=Meeting.Kind.COUNCIL,
                    body=body,
                    held_on=day,
                    place=rng.choice(PLACES),
                    chair="召集人",
                    recorder="民情代表",
                    members=len(serving),
                    present=present,
                    quorum=present * 2 > len(serving),
                    status=Meeting.Status.PUBLISHED,
                    published_on=published,
                    published_at=datetime.datetime.combine(
                        published, datetime.time(9), tzinfo=datetime.UTC
                    ),
                    published_by=by,
                    published_after_days=(published - day).days,
                    notice_ends_on=notice_end(published, 7),
                    recorded_by=by,
                )
                planned.append((meeting, serving, present))
            day += datetime.timedelta(days=rng.randint(55, 95))
    return planned


def rows_of(rng, planned):
    """The roll call and the motions of saved planned meetings."""
    attendance, motions = [], []
    for meeting, serving, present in planned:
        for index, membership in enumerate(serving):
            attendance.append(
                Attendance(
                    meeting=meeting,
                    membership=membership,
                    present=index < present,
                    absence_reason="" if index < present else rng.choice(REASONS),
                )
            )
        for number, row in enumerate(_motions(rng, rng.randint(1, 2), present), start=1):
            motions.append(
                Motion(
                    meeting=meeting,
                    number=number,
                    voters=present,
                    outcome=services.outcome_of(
                        votes_for=row["votes_for"],
                        voters=present,
                        quorum=meeting.quorum,
                        deferred=False,
                    ),
                    **row,
                )
            )
    return attendance, motions
