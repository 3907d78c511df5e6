"""What happens to a concern, one function per step. Each is one transaction, writes the
step into the concern's timeline and records who made the change in its history.
Callers (views, admin) have checked the scope; these functions check the domain's rules.
A step happens now unless `at` says when (registers kept on paper, the demo)."""

from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from concerns.models import Concern, ConcernEvent, ConcernPhoto, DutyRoster, ResponseDeadlines
from concerns.workdays import add_working_days
from courtyards.models import Street
from portal.uploads import validate_attachment

Kind = ConcernEvent.Kind


def street_short_name(street):
    """浆洗街街道 → 浆洗街: the street as residents say it, for tracking numbers."""
    name = street.name
    return name[: -len("街道")] if name.endswith("街道") and len(name) > 2 else name


def deadlines_for(district):
    """The district's setting, or the defaults (1/2/3) until the district saves its own."""
    found = ResponseDeadlines.objects.filter(district=district).first()
    return found or ResponseDeadlines(district=district)


def answer_due(concern):
    """Received date + the class's working days. Until classified, the strictest class
    (the street's own duties) applies: a concern nobody classified is not let wait."""
    deadlines = deadlines_for(concern.community.street.district)
    days = deadlines.days_for(concern.routing or Concern.Routing.STREET)
    return add_working_days(timezone.localdate(concern.received_at), days)


def _event(concern, kind, by, text="", **fields):
    event = ConcernEvent(concern=concern, kind=kind, by=by, text=text, **fields)
    event._history_user = by
    event.save()
    return event


def _save(concern, by):
    concern.full_clean()
    concern._history_user = by
    concern.save()
    return concern


def next_number(community, received_at):
    """<year>-<street>-<4-digit sequence per street and year>. The street's row is locked
    until the transaction ends, so two receptions at once cannot take the same number."""
    street = Street.objects.select_for_update().get(pk=community.street_id)
    year = timezone.localtime(received_at).year
    prefix = f"{year}-{street_short_name(street)}-"
    last = Concern.objects.filter(number__startswith=prefix).aggregate(last=Max("sequence"))
    sequence = (last["last"] or 0) + 1
    return f"{prefix}{sequence:04d}", sequence


def sequence_of(number, community):
    """The sequence of a number a street gave by hand: the digits after its prefix when it
    is written as the portal writes numbers (2026-浆洗街-0153 → 153, so the next number the
    portal gives follows it), else 0."""
    street = community.street
    year, _sep, rest = number.partition("-")
    prefix = f"{street_short_name(street)}-"
    if year.isdigit() and rest.startswith(prefix) and rest[len(prefix) :].isdigit():
        return int(rest[len(prefix) :])
    return 0


def _refused_photos(photos):
    """Why each refused file is refused, naming it (portal.uploads.validate_attachment)."""
    messages = []
    for upload in photos:
        try:
            validate_attachment(upload)
        except ValidationError as error:
            messages += error.messages
    return messages


def _check_photos(photos, errors=None):
    """Refuse with every refused file, by name, and `errors` found before, before anything
    is saved: a concern is not received half-way, without the photos the clerk chose."""
    errors = dict(errors or {})
    refused = _refused_photos(photos)
    if refused:
        errors["photos"] = [*errors.get("photos", []), *refused]
    if errors:
        raise ValidationError(errors)


def _attach(concern, photos, by):
    for upload in photos:
        photo = ConcernPhoto(concern=concern, file=upload, name=upload.name[:200], uploaded_by=by)
        photo._history_user = by
        photo.save()


@transaction.atomic
def concern_receive(*, by, community, channel, category, text, number="", photos=(), **fields):
    """Record a concern as received and give it its tracking number (or keep the one a
    street's register gave it), with the photos taken at the door. A refused file saves
    nothing, and the record's own errors are told with it, all at once."""
    concern = Concern(
        community=community, channel=channel, category=category, text=text, received_by=by
    )
    for name, value in fields.items():
        setattr(concern, name, value)
    if concern.anonymous:
        concern.resident_name = concern.resident_phone = ""
    if number:
        concern.number, concern.sequence = number, sequence_of(number, community)
    else:
        concern.number, concern.sequence = next_number(community, concern.received_at)
    concern.answer_due = answer_due(concern)
    errors = {}
    try:
        concern.full_clean()
    except ValidationError as error:
        errors = error.message_dict
    _check_photos(photos, errors)
    concern._history_user = by
    concern.save()
    _event(concern, Kind.RECEIVED, by, concern.get_channel_display(), at=concern.received_at)
    _attach(concern, photos, by)
    return concern


def _refuse_if_closed(concern):
    if concern.resolved_at:
        raise ValidationError(_("This concern is resolved: it can no longer change."))


@transaction.atomic
def concern_classify(concern, *, by, routing, at=None):
    _refuse_if_closed(concern)
    if concern.answered_at:
        raise ValidationError(_("This concern is answered: its class can no longer change."))
    if concern.routing == int(routing):
        raise ValidationError({"routing": _("The concern already has this class.")})
    concern.routing = int(routing)
    concern.answer_due = answer_due(concern)
    _save(concern, by)
    _event(concern, Kind.CLASSIFIED, by, concern.get_routing_display(), at=at or timezone.now())
    return concern


def _required(text, field):
    if not (text or "").strip():
        # Django's own message (and translation), as the forms give for an empty field
        raise ValidationError({field: forms.Field.default_error_messages["required"]})
    return text.strip()


@transaction.atomic
def concern_answer(concern, *, by, answer, at=None):
    _refuse_if_closed(concern)
    if concern.routing is None:
        raise ValidationError(_("Classify the concern before answering it."))
    if concern.answered_at:
        raise ValidationError(_("This concern is already answered."))
    concern.answer = _required(answer, "answer")
    concern.answered_at, concern.answered_by = at or timezone.now(), by
    concern.answered_on = timezone.localdate(concern.answered_at)
    _save(concern, by)
    _event(concern, Kind.ANSWERED, by, concern.answer, at=concern.answered_at)
    return concern


@transaction.atomic
def concern_resolve(concern, *, by, resolution, at=None):
    _refuse_if_closed(concern)
    if not concern.answered_at:
        raise ValidationError(_("Answer the resident before recording the resolution."))
    concern.resolution = _required(resolution, "resolution")
    concern.resolved_at, concern.resolved_by = at or timezone.now(), by
    _save(concern, by)
    _event(concern, Kind.RESOLVED, by, concern.resolution, at=concern.resolved_at)
    return concern


@transaction.atomic
def concern_return_visit(concern, *, by, satisfaction, text="", at=None):
    if not concern.resolved_at:
        raise ValidationError(_("The return visit follows the resolution."))
    if concern.visited_at:
        raise ValidationError(_("The return visit is already recorded."))
    if satisfaction not in Concern.Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose how satisfied the resident is.")})
    concern.satisfaction = satisfaction
    concern.visited_at, concern.visited_by = at or timezone.now(), by
    _save(concern, by)
    label = concern.get_satisfaction_display()
    text = f"{label}：{text}" if text else label
    _event(concern, Kind.RETURN_VISIT, by, text, at=concern.visited_at)
    return concern


LEVEL_ORDER = [Concern.Level.COMMUNITY, Concern.Level.STREET, Concern.Level.DISTRICT]


@transaction.atomic
def concern_escalate(concern, *, by, to_level, reason, at=None):
    """Raise the concern to the street or the district; the higher level acts on it now."""
    _refuse_if_closed(concern)
    if to_level not in LEVEL_ORDER[1:]:
        raise ValidationError(
            {"to_level": _("A concern is escalated to the street or the district.")}
        )
    if LEVEL_ORDER.index(to_level) <= LEVEL_ORDER.index(concern.level):
        raise ValidationError({"to_level": _("A concern can only be escalated to a higher level.")})
    reason = _required(reason, "reason")
    concern.level = to_level
    _save(concern, by)
    text = f"{concern.get_level_display()}：{reason}"
    _event(concern, Kind.ESCALATED, by, text, at=at or timezone.now())
    return concern


@transaction.atomic
def concern_note(concern, *, by, text):
    return _event(concern, Kind.NOTE, by, _required(text, "text"))


@transaction.atomic
def concern_add_photos(concern, *, by, photos):
    """Add photos to a concern at any time (the repair done, a second look): one timeline
    line naming the files. A refused file saves none of them."""
    if not photos:
        raise ValidationError({"photos": _("Choose at least one photo.")})
    _check_photos(photos)
    _attach(concern, photos, by)
    return _event(concern, Kind.PHOTOS, by, "、".join(upload.name for upload in photos))


def officer_on(community, day):
    found = DutyRoster.objects.filter(community=community, date=day).first()
    return found.officer if found else None


def next_duty_day(community, day):
    return DutyRoster.objects.filter(community=community, date__gt=day).order_by("date").first()


@transaction.atomic
def hand_over(community, day, *, by, note, at=None):
    """At the end of `day`, every concern of the community still open passes from that day's
    duty officer to the next roster day's, one handover event each. Returns the events."""
    note = _required(note, "note")
    handed_over = ConcernEvent.objects.filter(
        kind=Kind.HANDED_OVER, concern__community=community, duty_day=day
    )
    if handed_over.exists():
        raise ValidationError({"day": _("This day's concerns are already handed over.")})
    following = next_duty_day(community, day)
    if following is None:
        raise ValidationError(
            _("Nobody is on the duty roster after this day: set the roster first.")
        )
    end_of_day = timezone.make_aware(datetime.combine(day, time.max))
    officer = officer_on(community, day) or by
    concerns = Concern.objects.open().filter(community=community, received_at__lte=end_of_day)
    return [
        _event(
            concern,
            Kind.HANDED_OVER,
            by,
            note,
            from_officer=officer,
            to_officer=following.officer,
            duty_day=day,
            at=at or timezone.now(),
        )
        for concern in concerns
    ]


def roster_set(*, by, community, date, officer):
    """Set (or replace) the duty officer of a community for a day."""
    day = DutyRoster.objects.filter(community=community, date=date).first()
    day = day or DutyRoster(community=community, date=date)
    day.officer = officer
    day.full_clean()
    day._history_user = by
    day.save()
    return day


@transaction.atomic
def concern_from_register(concern, *, by, facts, steps, note):
    """A row of a street's hand-kept register (民情诉求登记台账): a concern received then
    (`facts`, with `received_at`), taken through the steps the register records
    (`steps`: routing, answered_at, answer, resolved_at, resolution, satisfaction), each
    with its timeline line at the time the register gives. `concern` is the one already
    in the portal (matched by its tracking number, or None): it keeps what it has, and
    only the steps it does not have yet are recorded. `note` (where the row came from)
    is added to the timeline of a concern the row changed."""
    changed = concern is None
    if concern is None:
        concern = concern_receive(by=by, **facts)
    received_at = concern.received_at
    if steps.get("routing") and concern.routing is None:
        concern = concern_classify(concern, by=by, routing=steps["routing"], at=received_at)
        changed = True
    if steps.get("answered_at") and not concern.answered_at:
        concern = concern_answer(
            concern,
            by=by,
            answer=steps.get("answer") or _("Recorded from the street's register."),
            at=steps["answered_at"],
        )
        changed = True
    if steps.get("resolved_at") and not concern.resolved_at:
        concern = concern_resolve(
            concern,
            by=by,
            resolution=steps.get("resolution") or _("Recorded from the street's register."),
            at=steps["resolved_at"],
        )
        changed = True
    if steps.get("satisfaction") and not concern.visited_at:
        concern = concern_return_visit(
            concern, by=by, satisfaction=steps["satisfaction"], at=concern.resolved_at
        )
        changed = True
    if changed:
        _event(concern, Kind.NOTE, by, note)
    return concern


LINKS = ("motion", "rectification", "project")


def community_of(name, target):
    """The community a record to link belongs to (a motion: its council's)."""
    if name == "motion":
        return target.meeting.organisation.community_id
    return target.community_id


def link_label(name, target):
    if name == "motion":
        meeting = target.meeting
        return f"{meeting.organisation} {meeting.held_on:%Y-%m-%d}：{target.title}"
    if name == "project":
        return f"{target.year} {target.title}"
    return str(target)


@transaction.atomic
def concern_link(concern, *, by, **targets):
    """Link the concern to the council's motion it was put to, the rectification or the
    fund project that resolves it: a record of the concern's own community. One timeline
    line for each link made."""
    made = []
    for name in LINKS:
        target = targets.get(name)
        if target is None or getattr(concern, f"{name}_id") == target.pk:
            continue
        if community_of(name, target) != concern.community_id:
            raise ValidationError(
                {name: _("Only a record of the concern's own community can be linked.")}
            )
        setattr(concern, name, target)
        made.append((name, target))
    if not made:
        raise ValidationError(_("Choose a record to link the concern to."))
    _save(concern, by)
    for name, target in made:
        label = Concern._meta.get_field(name).verbose_name
        _event(concern, Kind.LINKED, by, f"{label}：{link_label(name, target)}")
    return concern
