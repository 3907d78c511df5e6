"""Demo notices: the district asked every community for its year-end self-check two weeks
ago (most have acknowledged it, a few are late), and 浆洗街街道 has issued one notice to its
communities this week and keeps another as a draft."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from courtyards.models import Street
from notices import services
from notices.models import Notice, Recipient


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
    services.notice_issue(yearly, by=qu_staff)
    # Issued two weeks ago with ten days to acknowledge it: most communities did, a few
    # after the day, some (长寿苑社区 among them) not yet.
    issued_at = timezone.now() - datetime.timedelta(days=14)
    Notice.objects.filter(pk=yearly.pk).update(
        issued_at=issued_at, reply_by=today - datetime.timedelta(days=4)
    )
    for row in Recipient.objects.filter(notice=yearly).select_related("community"):
        if row.community.name == "长寿苑社区" or demo.rng.random() < 0.3:
            continue
        services.notice_acknowledge(row, by=None)  # members without a demo login
        after = datetime.timedelta(days=demo.rng.choice([1, 2, 3, 5, 8, 9, 12]), hours=3)
        Recipient.objects.filter(pk=row.pk).update(acknowledged_at=issued_at + after)
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
