"""The demo's year-end self-check notice carries a return: the communities that
acknowledged it answered (some late, figures from the records), 长寿苑社区 has not and is
reminded."""

import pytest
from django.core.management import call_command

from notices.models import Answer, Notice, Recipient
from reminders.models import Reminder


@pytest.mark.django_db
def test_the_demo_notice_asks_for_a_return_some_answered_one_late_and_reminded():
    call_command("seed_demo", "--force")
    notice = Notice.objects.get(title__contains="院落自治工作自查")
    assert [f.get_kind_display() for f in notice.fields.all()] == ["数字", "数字", "文字", "单选"]
    assert [f.source for f in notice.fields.all()][:2] == ["households", "council_meetings"]
    answers = Answer.objects.filter(recipient__notice=notice)
    assert answers.exists() and any(a.prefilled for a in answers)
    late = Recipient.objects.get(notice=notice, community__name="长寿苑社区")
    assert late.answer_or_none is None and late.return_is_late()
    reminded = Reminder.objects.filter(
        kind="return_due", user__username="sq_changshouyuan", settled_at__isnull=True
    )
    assert reminded.count() == 1
