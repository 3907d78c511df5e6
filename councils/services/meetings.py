"""Recording, publishing and revising meetings (rules in councils/models/meetings.py).

`meeting_record` and `meeting_revise` check everything they were given before they write
anything, then write it in one transaction: a refused save leaves no part behind. Two people
editing one meeting: each form carries the `version` it was opened at; the save bumps it
with `UPDATE … WHERE version = seen`, and a save whose version is no longer current is
refused.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import Body, Coverage, Membership, rules_of
from councils.models.district_rules import more_than
from councils.models.meetings import (
    Attachment,
    Attendance,
    Meeting,
    Motion,
    Objection,
    Revision,
    notice_days_for,
    notice_end,
)
from portal.models import person_name
from portal.uploads import validate_attachment

MEETING_FIELDS = (
    "held_on",
    "start_time",
    "place",
    "chair",
    "recorder",
    "agenda",
    "minutes",
    "participants",
    "proxies",
    "other_attendees",
)
MOTION_FIELDS = (
    "title",
    "discussion",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "decision",
    "carried_out_by",
    "due_on",
    "done_on",
)


def roll(body, day):
    """The members of a body serving on `day`, convener or leader first."""
    return (
        Membership.objects.serving_on(day)
        .filter(body=body)
        .select_related("person")
        .in_roll_order()
    )


def households_covered(organisation, day):
    """Households of the courtyards the organisation covers on `day`: one vote each at a
    residents' meeting."""
    total = (
        Coverage.objects.on(day)
        .filter(organisation=organisation)
        .aggregate(total=Sum("courtyard__households"))["total"]
    )
    return total or 0


def outcome_of(*, votes_for, voters, quorum, deferred, percent=50):
    """Adopted when more than `percent`% (half by default; a residents' meeting: the
    district's) of those entitled to vote who are present vote for it; without quorum a
    motion cannot be adopted and stands deferred."""
    if deferred or quorum is False:
        return Motion.Outcome.DEFERRED
    adopted = votes_for > 0 and more_than(votes_for, voters, percent)
    return Motion.Outcome.ADOPTED if adopted else Motion.Outcome.REJECTED


def consultation_outcome(*, consensus, deferred):
    """A consultation (坝坝会) takes no vote of households: what the residents said is
    recorded as consensus reached or opinions recorded, never adopted."""
    if deferred:
        return Motion.Outcome.DEFERRED
    return Motion.Outcome.CONSENSUS if consensus else Motion.Outcome.NOTED


def _claim(meeting, seen_version):
    """Move the meeting to its next version if nobody saved since `seen_version`."""
    claimed = Meeting.objects.filter(pk=meeting.pk, version=seen_version).update(
        version=F("version") + 1
    )
    if not claimed:
        latest = meeting.history.order_by("-history_id").first()
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "%(user)s saved this meeting at %(time)s, after you opened it. "
                        "Open it again to see their changes, then make yours."
                    )
                    % {
                        "user": person_name(latest.history_user) if latest else _("someone"),
                        "time": timezone.localtime(latest.history_date).strftime("%H:%M")
                        if latest
                        else "",
                    }
                ]
            }
        )
    meeting.version = int(seen_version) + 1


def _snapshot(meeting):
    """What residents and readers rely on, to say what a revision changed."""
    rows = {}
    for name in MEETING_FIELDS + ("present", "quorum"):
        rows[str(Meeting._meta.get_field(name).verbose_name)] = getattr(meeting, name)
    for motion in meeting.motions.order_by("number"):
        for name in MOTION_FIELDS + ("outcome",):
            label = Motion._meta.get_field(name).verbose_name
            value = motion.get_outcome_display() if name == "outcome" else getattr(motion, name)
            rows[_("Item %(number)s: %(field)s") % {"number": motion.number, "field": label}] = (
                value
            )
    return rows


def _changes(before, after):
    """Field: old → new for short values; long texts and the proxies (households name
    addresses, personal data) only say that they changed."""
    personal = str(Meeting._meta.get_field("proxies").verbose_name)
    lines = []
    for label, value in after.items():
        old = before.get(label)
        if old == value:
            continue
        long_text = (
            isinstance(value, str) and len(value) > 60 or isinstance(old, str) and len(old) > 60
        )
        if long_text or label == personal:
            lines.append(_("%(field)s: changed") % {"field": label})
        else:
            lines.append(
                _("%(field)s: %(old)s → %(new)s")
                % {"field": label, "old": _shown(old), "new": _shown(value)}
            )
    return "\n".join(lines)


def _shown(value):
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def _check_attendance(meeting, attendance, errors):
    """Fill members and present from the roll of the meeting day. Members of the roll not
    listed count as absent; anyone listed who is not on the roll is refused."""
    members = {m.pk: m for m in roll(meeting.body, meeting.held_on)}
    if not members:
        errors.setdefault("held_on", []).append(
            _("Held on: nobody served on the %(body)s that day; record its election first.")
            % {"body": meeting.body.get_kind_display()}
        )
    rows = {}
    for row in attendance:
        membership = row["membership"]
        if membership.pk not in members:
            errors.setdefault("attendance", []).append(
                _("Attendance: %(person)s was not a member of the %(body)s on %(day)s.")
                % {
                    "person": membership.person,
                    "body": meeting.body.get_kind_display(),
                    "day": meeting.held_on,
                }
            )
            continue
        present = bool(row.get("present"))
        rows[membership.pk] = (present, "" if present else row.get("absence_reason", "").strip())
    for pk in members:
        rows.setdefault(pk, (False, ""))
    if meeting.pk and meeting.attendance.exclude(membership__in=list(members)).exists():
        errors.setdefault("held_on", []).append(
            _(
                "Held on: the members serving on this day are not those on the attendance "
                "list already recorded; record a new meeting instead."
            )
        )
    meeting.members = len(members)
    meeting.present = sum(1 for present, _reason in rows.values() if present)
    return members, rows


def _check_motions(meeting, motions, errors):
    """The motions as they will be saved; a recorded motion is changed, never removed."""
    existing = {m.pk: m for m in meeting.motions.all()} if meeting.pk else {}
    kept, checked = set(), []
    next_number = max((m.number for m in existing.values()), default=0) + 1
    for index, row in enumerate(motions, start=1):
        motion = existing.get(row.get("id")) if row.get("id") else None
        if row.get("id") and motion is None:
            errors.setdefault("motions", []).append(
                _("Item %(number)s belongs to another meeting.") % {"number": index}
            )
            continue
        if motion is None:
            motion = Motion(meeting=meeting, number=next_number)
            next_number += 1
        else:
            kept.add(motion.pk)
        _set_motion(motion, row, meeting)
        label = _("Item %(number)s “%(title)s”") % {"number": index, "title": motion.title}
        problems = _vote_problems(motion, row, meeting, label) + _clean_problems(motion, label)
        if problems:
            errors.setdefault("motions", []).extend(problems)
        checked.append(motion)
    if set(existing) - kept:
        errors.setdefault("motions", []).append(
            _("A recorded motion cannot be removed: mark it deferred or correct it instead.")
        )
    return checked


def _set_motion(motion, row, meeting):
    for name in MOTION_FIELDS:
        setattr(motion, name, row.get(name) if row.get(name) is not None else "")
    for name in ("votes_for", "votes_against", "votes_abstain"):
        setattr(motion, name, row.get(name) or 0)
    for name in ("due_on", "done_on"):
        setattr(motion, name, row.get(name) or None)
    motion.voters = meeting.present
    if meeting.is_consultation:
        motion.outcome = consultation_outcome(
            consensus=row.get("consensus"), deferred=row.get("deferred")
        )
        return
    motion.outcome = outcome_of(
        votes_for=motion.votes_for,
        voters=meeting.present,
        quorum=meeting.quorum,
        deferred=row.get("deferred"),
        percent=meeting.adoption_percent,
    )


def _vote_problems(motion, row, meeting, label):
    problems = []
    cast = motion.votes_for + motion.votes_against + motion.votes_abstain
    if meeting.is_consultation and cast:
        problems.append(
            _(
                "%(motion)s: votes: an open-air consultation takes no vote of households; "
                "record whether a consensus was reached."
            )
            % {"motion": label}
        )
    elif row.get("deferred") and cast:
        problems.append(
            _("%(motion)s: votes: a deferred motion was not put to the vote.") % {"motion": label}
        )
    elif cast > meeting.present:
        problems.append(
            _(
                "%(motion)s: votes: %(cast)s votes for, against and abstaining is more "
                "than the %(present)s present."
            )
            % {"motion": label, "cast": cast, "present": meeting.present}
        )
        motion.voters = cast  # keeps full_clean's messages to the point
    if motion.done_on and motion.done_on > timezone.localdate():
        problems.append(_("%(motion)s: done on: this date lies in the future.") % {"motion": label})
    return problems


def _clean_problems(motion, label):
    try:
        motion.full_clean(exclude=["meeting"], validate_unique=False)
    except ValidationError as error:
        return [
            f"{label}: {_field_label(field)}: {message}"
            if _field_label(field)
            else f"{label}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _field_label(field):
    return Motion._meta.get_field(field).verbose_name if field != NON_FIELD_ERRORS else ""


def _check_files(files, errors):
    for upload in files:
        try:
            validate_attachment(upload)
        except ValidationError as error:
            errors.setdefault("attachments", []).extend(
                [_("Attachments: %(message)s") % {"message": m} for m in error.messages]
            )


@dataclass
class Minutes:
    """What the minutes of a meeting hold, as entered. `fields` are the meeting's own fields
    (MEETING_FIELDS, plus `households_by_proxy` for a residents' meeting); `attendance` rows
    {membership, present, absence_reason} for the council and the group; `households`
    (entitled; default: those of the courtyards covered) and `households_present` (in
    person) for a residents' meeting; `participants_count` for joint meetings; `motions`
    rows of MOTION_FIELDS plus `id` (to change a recorded one) and `deferred`; `files`
    uploaded attachments."""

    fields: dict
    attendance: Sequence = ()
    motions: Sequence = ()
    files: Sequence = ()
    households: int | None = None
    households_present: int = 0
    participants_count: int = 0


@transaction.atomic
def meeting_record(*, organisation, kind, minutes, by):
    """Record a new meeting, as a draft."""
    meeting = Meeting(organisation=organisation, kind=kind, recorded_by=by)
    if kind == Meeting.Kind.RESIDENTS_MEETING:  # the district's thresholds, kept as recorded
        rules = rules_of(organisation)
        meeting.quorum_percent = rules.quorum_percent
        meeting.adoption_percent = rules.adoption_percent
    _write(meeting, minutes, _check(meeting, minutes, errors={}), by)
    return meeting


@transaction.atomic
def meeting_revise(*, meeting, minutes, seen_version, reason="", by):
    """Change a meeting. A change to a published meeting needs a `reason` and is kept as a
    revision that says what changed."""
    _claim(meeting, seen_version)
    errors = {}
    before = _snapshot(meeting) if meeting.is_published else None
    if meeting.is_published and not reason.strip():
        errors["reason"] = [_("Reason for the revision: say why published minutes change.")]
    _write(meeting, minutes, _check(meeting, minutes, errors), by)
    if before is not None:
        _record_revision(meeting, before, minutes.files, reason, by)
    return meeting


def _check(meeting, minutes, errors):
    """Everything checked before anything is written: the meeting's fields and counts, its
    attendance, motions and files. Returns what `_write` saves."""
    _set_fields(meeting, minutes.fields)
    try:
        meeting.full_clean(exclude=["version", "members", "present", "quorum"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    members, rows = _count_present(meeting, minutes, errors)
    in_body = meeting.kind in Meeting.WITH_BODY
    meeting.quorum = (
        more_than(meeting.present, meeting.members, meeting.quorum_percent) if in_body else None
    )
    motions = _check_motions(meeting, minutes.motions, errors)
    _check_files(minutes.files, errors)
    if errors:
        raise ValidationError(errors)
    return members, rows, motions


def _set_fields(meeting, fields):
    for name in MEETING_FIELDS + ("households_by_proxy",):
        if name in fields:
            setattr(meeting, name, fields[name] if fields[name] is not None else "")
    meeting.start_time = fields.get("start_time") or None
    meeting.other_attendees = fields.get("other_attendees") or 0
    meeting.households_by_proxy = fields.get("households_by_proxy") or 0
    meeting.body = (
        Body.objects.filter(organisation=meeting.organisation, kind=meeting.kind).first()
        if meeting.kind in Meeting.WITH_BODY
        else None
    )


def _count_present(meeting, minutes, errors):
    """Fill `members` (entitled) and `present` by the kind of meeting: the roll of a body,
    the households of a residents' meeting, the participants of a joint meeting."""
    kind = meeting.kind
    if kind in Meeting.WITH_ROLL:
        if "held_on" not in errors and meeting.held_on and meeting.body_id:
            return _check_attendance(meeting, minutes.attendance, errors)
    elif kind == Meeting.Kind.RESIDENTS_MEETING:
        if meeting.held_on:
            _check_households(meeting, minutes, errors)
    elif kind not in Meeting.WITH_BODY:  # joint meetings, consultations: a head count
        meeting.members = 0
        meeting.present = minutes.participants_count or 0
        if not meeting.present:
            errors.setdefault("participants_count", []).append(
                _("Number of participants: enter how many took part.")
            )
    return {}, {}


def _check_households(meeting, minutes, errors):
    households = minutes.households
    if households is None:
        households = households_covered(meeting.organisation, meeting.held_on)
    meeting.members = households
    meeting.present = (minutes.households_present or 0) + meeting.households_by_proxy
    if meeting.households_by_proxy and not meeting.proxies.strip():
        errors.setdefault("proxies", []).append(
            _("Proxies: name the household each proxy represented.")
        )
    if meeting.present > meeting.members:
        errors.setdefault("households_present", []).append(
            _(
                "Households represented: %(present)s in person and by proxy is more "
                "than the %(households)s households entitled."
            )
            % {"present": meeting.present, "households": meeting.members}
        )


def _write(meeting, minutes, checked, by):
    members, rows, motions = checked
    meeting._history_user = by
    meeting.save()
    for pk, (present, absence_reason) in rows.items():
        Attendance.objects.update_or_create(
            meeting=meeting,
            membership=members[pk],
            defaults={"present": present, "absence_reason": absence_reason},
        )
    for motion in motions:
        motion.meeting = meeting
        motion._history_user = by
        motion.save()
    for upload in minutes.files:
        Attachment.objects.create(
            meeting=meeting, file=upload, name=upload.name[:200], uploaded_by=by
        )


def _record_revision(meeting, before, files, reason, by):
    changes = _changes(before, _snapshot(meeting))
    if files:
        names = "、".join(upload.name for upload in files)
        changes = "\n".join(
            filter(None, [changes, _("Attachments added: %(names)s") % {"names": names}])
        )
    if not changes:
        raise ValidationError({NON_FIELD_ERRORS: [_("Nothing was changed.")]})
    Revision.objects.create(
        meeting=meeting,
        number=meeting.revisions.count() + 1,
        reason=reason.strip(),
        changes=changes,
        made_by=by,
    )


@transaction.atomic
def meeting_publish(*, meeting, seen_version, by):
    """Publish a draft: its decisions appear on the public page of each courtyard the
    organisation covered on the meeting day, with the district's notice period."""
    _claim(meeting, seen_version)
    if meeting.is_published:
        raise ValidationError({NON_FIELD_ERRORS: [_("This meeting is published already.")]})
    today = timezone.localdate()
    meeting.status = Meeting.Status.PUBLISHED
    meeting.published_on = today
    meeting.published_after_days = (today - meeting.held_on).days
    meeting.published_at = timezone.now()
    meeting.published_by = by
    meeting.notice_ends_on = notice_end(today, notice_days_for(meeting.organisation))
    meeting._history_user = by
    meeting.save()
    return meeting


@transaction.atomic
def objection_record(*, motion, received_on, summary, by):
    objection = Objection(motion=motion, received_on=received_on, summary=summary, recorded_by=by)
    objection.full_clean()
    objection._history_user = by
    objection.save()
    return objection
