"""Rectification follow-up: its life cycle, and an overdue status that follows the calendar."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspections import services
from inspections.models import ProgressNote, Rectification
from tests.inspections.factories import days_ago, problem, record

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture
def rect(insp, people):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector, days=20)
    return problem(visit, people.inspector, deadline_in=10)  # due 10 days ago


def report(rect, by, *, done=False, days=3, **kwargs):
    return services.rectification_report(
        rectification=rect, noted_on=days_ago(days), text="已清理", done=done, by=by, **kwargs
    )


def test_a_problem_becomes_an_open_item_of_the_visited_community(insp, people, geo):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector)
    rect = problem(visit, people.inspector)
    assert rect.status == "open"
    assert rect.community == geo.community_a1
    assert rect.created_by == people.inspector


def test_another_community_of_the_district_may_be_made_responsible(insp, people, geo):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector)
    rect = problem(visit, people.inspector, community=geo.community_b1)
    assert rect.community == geo.community_b1


def test_the_deadline_must_fall_after_the_visit(insp, people):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector)
    with pytest.raises(ValidationError) as error:
        problem(visit, people.inspector, deadline_in=0)
    assert error.value.message_dict["deadline"] == [
        f"整改期限须晚于督查日期（{visit.visited_on.isoformat()}）。"
    ]
    assert not Rectification.objects.exists()


def test_a_problem_needs_words(insp, people):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector)
    with pytest.raises(ValidationError) as error:
        problem(visit, people.inspector, text="  ")
    assert error.value.message_dict["problem"] == ["请描述发现的问题。"]


def test_the_life_cycle_open_progress_done_verified(rect, people):
    report(rect, people.community, days=5)
    rect.refresh_from_db()
    assert rect.status == "in_progress"
    report(rect, people.community, done=True, days=2)
    rect.refresh_from_db()
    assert rect.status == "done"
    services.rectification_verify(rectification=rect, accepted=True, by=people.inspector)
    rect.refresh_from_db()
    assert rect.status == "verified"
    assert rect.verified_by == people.inspector and rect.verified_on == days_ago(0)
    kinds = list(rect.notes.values_list("kind", flat=True))
    assert kinds == ["progress", "done", "verified"]


def test_an_item_sent_back_is_in_progress_again_and_needs_a_reason(rect, people):
    report(rect, people.community, done=True)
    with pytest.raises(ValidationError) as error:
        services.rectification_verify(rectification=rect, accepted=False, by=people.inspector)
    assert error.value.message_dict["note"] == ["请说明退回整改的原因。"]
    services.rectification_verify(
        rectification=rect, accepted=False, note="杂物仍未清完", by=people.inspector
    )
    rect.refresh_from_db()
    assert rect.status == "in_progress" and rect.verified_by is None
    assert rect.notes.last().kind == "returned"


def test_only_an_item_reported_done_can_be_verified(rect, people):
    with pytest.raises(ValidationError) as error:
        services.rectification_verify(rectification=rect, accepted=True, by=people.inspector)
    assert error.value.messages == ["只有已报完成的事项才能复核。"]


def test_no_progress_is_reported_on_an_item_awaiting_verification_or_verified(rect, people):
    report(rect, people.community, done=True)
    with pytest.raises(ValidationError):
        report(rect, people.community)
    services.rectification_verify(rectification=rect, accepted=True, by=people.inspector)
    with pytest.raises(ValidationError) as error:
        report(rect, people.community)
    assert error.value.messages == ["该事项已复核销号。"]
    assert rect.notes.count() == 2


def test_progress_dates_lie_between_the_visit_and_today(rect, people):
    with pytest.raises(ValidationError) as error:
        report(rect, people.community, days=-1)
    assert error.value.message_dict["noted_on"] == ["日期不能晚于今天。"]
    with pytest.raises(ValidationError) as error:
        report(rect, people.community, days=30)
    assert "不能早于督查日期" in error.value.message_dict["noted_on"][0]


def test_evidence_is_checked_by_its_content(rect, people):
    fake = SimpleUploadedFile("整改照片.jpg", b"<html>not an image</html>")
    with pytest.raises(ValidationError) as error:
        report(rect, people.community, evidence=fake)
    assert "evidence" in error.value.message_dict
    assert not ProgressNote.objects.exists()
    rect.refresh_from_db()
    assert rect.status == "open"
    note = report(rect, people.community, evidence=SimpleUploadedFile("整改照片.jpg", JPEG))
    assert note.evidence_name == "整改照片.jpg"
    assert not note.evidence.name.endswith("整改照片.jpg")  # stored under a random name


# --- Overdue -----------------------------------------------------------------------------


def overdue_flags():
    return dict(Rectification.objects.with_overdue().values_list("pk", "is_overdue"))


def test_an_open_item_past_its_deadline_is_overdue(rect):
    assert overdue_flags() == {rect.pk: True}
    assert list(Rectification.objects.overdue()) == [rect]
    assert rect.overdue_on(timezone.localdate())


def test_an_item_is_not_overdue_on_its_deadline_day(insp, people):
    visit = record(insp.a2, 40, 10, 10, by=people.inspector, days=10)
    rect = problem(visit, people.inspector, deadline_in=10)
    assert rect.deadline == days_ago(0)
    assert overdue_flags() == {rect.pk: False}


@pytest.mark.parametrize(("stage", "overdue"), [("progress", True), ("done", False)])
def test_an_item_reported_done_waits_on_the_inspectors_not_the_community(
    rect, people, stage, overdue
):
    report(rect, people.community, done=stage == "done")
    assert overdue_flags() == {rect.pk: overdue}


def test_a_verified_item_is_never_overdue(rect, people):
    report(rect, people.community, done=True)
    services.rectification_verify(rectification=rect, accepted=True, by=people.inspector)
    assert overdue_flags() == {rect.pk: False}


def test_overdue_follows_the_calendar_without_any_write(insp, people, monkeypatch):
    visit = record(insp.a2, 40, 10, 10, by=people.inspector, days=2)
    rect = problem(visit, people.inspector, deadline_in=5)  # due in three days
    assert overdue_flags() == {rect.pk: False}
    history_before = rect.history.count()
    later = rect.deadline + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert overdue_flags() == {rect.pk: True}
    assert rect.overdue_on(later)
    assert rect.history.count() == history_before
