"""Demo notices: the district asked every community for its year-end self-check two weeks
ago, with a return to fill in (households and council meetings from the records, the
self-check in words, a conclusion from a list): most have acknowledged it and answered, a
few late, 长寿苑社区 neither (it is reminded of both); and 浆洗街街道 has issued one notice to its
communities this week and keeps another as a draft."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from courtyards.models import Street
from notices import services
from notices.models import Answer, Notice, Recipient

YEARLY_RETURN = [
    {
        "label": "院落户数",
        "kind": "number",
        "source": "households",
        "required": True,
        "choices": "",
    },
    {
        "label": "本年召开议事会次数",
        "kind": "number",
        "source": "council_meetings",
        "required": True,
        "choices": "",
    },
    {
        "label": "自查发现的问题及整改情况",
        "kind": "text",
        "source": "",
        "required": True,
        "choices": "",
    },
    {
        "label": "自查结论",
        "kind": "choice",
        "source": "",
        "required": True,
        "choices": "合格\n基本合格\n不合格",
    },
]


def _answer(demo, row, acknowledged_at):
    """The community's return, with the figures from the records (one in five corrected by
    a few households), submitted a day after acknowledging (some after the day due)."""
    fields = {f.label: f for f in row.notice.fields.all()}
    figures = services.prefill(row)
    values = {field.pk: figures.get(str(field.pk), "") for field in fields.values()}
    if demo.rng.random() < 0.2:
        households = fields["院落户数"].pk
        values[households] = str(int(values[households]) + demo.rng.choice([-3, 2, 5]))
    values[fields["自查发现的问题及整改情况"].pk] = demo.rng.choice(
        ["院落公示栏更新不及时，已整改。", "个别院落议事会记录不全，已补齐。", "未发现问题。"]
    )
    values[fields["自查结论"].pk] = demo.rng.choice(["合格", "合格", "基本合格"])
    answer = services.answer_save(row, by=None, values=values)
    Answer.objects.filter(pk=answer.pk).update(
        submitted_at=acknowledged_at + datetime.timedelta(days=1)
    )


def build(demo):
    district = demo.found["district"]
    users = get_user_model().objects
    qu_staff, jiangxijie = users.get(username="qu_staff"), users.get(username="jd_jiangxijie")
    street = Street.objects.get(district=district, name="浆洗街街道")
    today = timezone.localdate()
    yearly = services.notice_write(
        by=qu_staff,
        district=district,
        audience=Notice.Audience.COMMUNITIES,
        title=f"关于开展{today.year}年度院落自治工作自查的通知",
        text=(
            "各社区：\n请对照院落自治工作规范，对本社区各院落自治组织的建立、议事、公示和"
            "专项资金使用情况开展自查，并签收本通知。\n区民政局"
        ),
        reply_by=today + datetime.timedelta(days=3),
    )
    services.return_write(yearly, by=qu_staff, returns_by=today, fields=YEARLY_RETURN)
    services.notice_issue(yearly, by=qu_staff)
    # Issued two weeks ago with ten days to acknowledge it: most communities did, a few
    # after the day, some (长寿苑社区 among them) not yet.
    issued_at = timezone.now() - datetime.timedelta(days=14)
    Notice.objects.filter(pk=yearly.pk).update(
        issued_at=issued_at,
        reply_by=today - datetime.timedelta(days=4),
        returns_by=today - datetime.timedelta(days=2),
    )
    for row in Recipient.objects.filter(notice=yearly).select_related("community"):
        if row.community.name == "长寿苑社区" or demo.rng.random() < 0.3:
            continue
        services.notice_acknowledge(row, by=None)  # members without a demo login
        after = datetime.timedelta(days=demo.rng.choice([1, 2, 3, 5, 8, 9, 12]), hours=3)
        Recipient.objects.filter(pk=row.pk).update(acknowledged_at=issued_at + after)
        _answer(demo, row, issued_at + after)
    week = services.notice_write(
        by=jiangxijie,
        district=district,
        street=street,
        audience=Notice.Audience.COMMUNITIES,
        title="关于做好院落议事会换届准备工作的通知",
        text="各社区：\n年底前任期届满的院落议事会，请提前两个月做好换届准备。\n浆洗街街道办事处",
        reply_by=today + datetime.timedelta(days=7),
    )
    services.notice_issue(week, by=jiangxijie)
    services.notice_write(
        by=jiangxijie,
        district=district,
        street=street,
        audience=Notice.Audience.COMMUNITIES,
        title="关于报送院落议事会会议记录的通知（草稿）",
        text="各社区：\n请于每月5日前在平台中录入上月议事会会议记录。",
        reply_by=None,
    )
