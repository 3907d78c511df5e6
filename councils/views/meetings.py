"""Pages for the people who enter minutes: their courtyards with the last meeting, the
meeting form (attendance checklist, motions, attachments), the meeting page to read and
print, publishing, an objection, an attachment; and the staff reports."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import FileField
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.forms.meetings import (
    AttendanceFormSet,
    MeetingForm,
    ObjectionForm,
    PeriodForm,
    PublishForm,
    motion_formset,
)
from councils.models import Coverage, Meeting, Membership, Motion, rules_of
from councils.selectors import meetings as selectors
from councils.services import meetings as services
from courtyards.models import Courtyard
from portal.access import get_visible_or_404, mask_address, may_see_personal_data, scope_of
from portal.forms import Rows, apply_errors, error_summary
from portal.roles import Level
from portal.uploads import attachment_response

BLANK_MOTIONS = 2
MAX_MOTION_ROWS = 30


@login_required
@permission_required("councils.view_meeting", raise_exception=True)
def meeting_list(request):
    """My courtyards: each open courtyard covered by an organisation, with its last
    meeting, and where to record the next one. District and street staff are sent to
    the meeting register instead (councils/views/register.py)."""
    if request.user.has_perm("councils.use_meeting_register"):
        return redirect("councils:meeting_register")
    page = Paginator(selectors.my_courtyards(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "councils/meeting_list.html", {"page": page})


def _visible_meeting(request, pk):
    return get_visible_or_404(
        Meeting.objects.select_related(
            "organisation__community__street__district",
            "body",
            "published_by",
            "recorded_by",
        ),
        request.user,
        pk=pk,
    )


def _crumbs(organisation):
    community = organisation.community
    return {
        "district": community.street.district,
        "street": community.street,
        "community": community,
        "organisation": organisation,
    }


def _kind(request):
    kind = request.GET.get("kind", Meeting.Kind.COUNCIL)
    return kind if kind in Meeting.Kind.values else Meeting.Kind.COUNCIL


def _day(value, default):
    """A day from the address or the form; a day to come reads as today (the roll of a
    meeting not yet held is today's)."""
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return default
    return min(day, timezone.localdate())


@login_required
@permission_required("councils.add_meeting", raise_exception=True)
def meeting_add(request):
    courtyard = get_visible_or_404(
        Courtyard.objects.select_related("community__street__district"),
        request.user,
        pk=request.GET.get("courtyard") or 0,
    )
    coverage = (
        Coverage.objects.open()
        .filter(courtyard=courtyard, organisation__dissolved_on__isnull=True)
        .select_related("organisation__community__street__district")
        .first()
    )
    if coverage is None:
        raise Http404
    return _meeting_form(
        request,
        organisation=coverage.organisation,
        courtyard=courtyard,
        kind=_kind(request),
        day=_day(request.GET.get("on"), timezone.localdate()),
    )


@login_required
@permission_required("councils.change_meeting", raise_exception=True)
def meeting_edit(request, pk):
    meeting = _visible_meeting(request, pk)
    return _meeting_form(
        request,
        organisation=meeting.organisation,
        courtyard=None,
        kind=meeting.kind,
        day=meeting.held_on,
        meeting=meeting,
    )


def _initial(meeting):
    if meeting is None:
        return {}
    initial = {
        name: getattr(meeting, name)
        for name in (
            "held_on",
            "start_time",
            "place",
            "chair",
            "recorder",
            "participants",
            "proxies",
            "other_attendees",
            "agenda",
            "minutes",
            "households_by_proxy",
        )
    }
    initial["version"] = meeting.version
    if meeting.is_residents_meeting:
        initial["households"] = meeting.members
        initial["households_present"] = meeting.present - meeting.households_by_proxy
    else:
        initial["participants_count"] = meeting.present or None
    return initial


def _attendance_initial(meeting, roll, typed=None):
    """The roll's rows: as typed for those on the page already (`typed`, by membership),
    else as recorded, else present for a new meeting."""
    recorded = {}
    if meeting is not None:
        recorded = {row.membership_id: row for row in meeting.attendance.all()}
    rows = []
    for membership in roll:
        row = recorded.get(membership.pk)
        rows.append(
            {
                "membership": membership.pk,
                "present": row.present if row else meeting is None,
                "absence_reason": row.absence_reason if row else "",
                **(typed or {}).get(membership.pk, {}),
            }
        )
    return rows


class _Page:
    """What the meeting form is showing: the kind, the day whose roll is listed, the roll."""

    def __init__(self, *, organisation, courtyard, kind, day, meeting):
        self.organisation = organisation
        self.courtyard = courtyard
        self.kind = kind
        self.meeting = meeting
        self.published = meeting is not None and meeting.is_published
        self.body = (
            organisation.bodies.filter(kind=kind).first() if kind in Meeting.WITH_BODY else None
        )
        self.has_roll = kind in Meeting.WITH_ROLL
        self.day = day
        self.roll = []

    def roll_on(self, day):
        self.day = day
        self.roll = list(services.roll(self.body, day)) if self.has_roll and self.body else []


def _meeting_form(request, *, organisation, courtyard, kind, day, meeting=None):
    """The form, its attendance roll and its motions. A POST saves, unless it asks for the
    roll of another day ("refresh") or one more motion ("add_motion"): then the page comes
    back with everything typed and no errors. The roll is always that of the meeting's day;
    the script (static/councils/meeting_form.js) fetches it alone with `?part=roll&on=`."""
    page = _Page(
        organisation=organisation, courtyard=courtyard, kind=kind, day=day, meeting=meeting
    )
    if request.method != "POST":
        on = _day(request.GET.get("on"), day)
        if request.GET.get("part") == "roll":
            page.roll_on(on)
            attendance = AttendanceFormSet(
                prefix="attendance", initial=_attendance_initial(meeting, page.roll)
            )
            return render(
                request, "councils/_meeting_roll.html", _roll_context(page, attendance, [])
            )
        page.roll_on(on if meeting is None else day)
        return _render_form(request, page, *_blank_forms(page))
    page.roll_on(_posted_day(request, day))
    form, attendance, motions = _bound_forms(request, page)
    shown = {_as_int(row["membership"].value()) for row in attendance.forms}
    if "refresh" in request.POST or "add_motion" in request.POST:
        more = 1 if "add_motion" in request.POST else 0
        return _render_form(request, page, *_typed_forms(page, form, attendance, motions, more))
    if page.has_roll and shown != {m.pk for m in page.roll}:
        # The day changed without its roll: show that day's roll, judge nothing else yet.
        notice = _(
            "The members serving on %(day)s are not those listed: the list now shows that "
            "day's members. Tick who was present and save again."
        ) % {"day": page.day.isoformat()}
        typed = _typed_forms(page, form, attendance, motions, 0)
        return _render_form(request, page, *typed, extra=[(notice, "attendance")])
    attendance_errors, motion_errors = [], []
    if all([form.is_valid(), attendance.is_valid(), motions.is_valid()]):
        try:
            saved = _save(request, page, form, attendance, motions)
        except ValidationError as error:
            apply_errors(form, error, separate=("attendance", "motions"))
            if hasattr(error, "error_dict"):
                attendance_errors = error.message_dict.get("attendance", [])
                motion_errors = error.message_dict.get("motions", [])
        else:
            if page.published:
                messages.success(request, _("The revision is recorded and shown to residents."))
            else:
                messages.success(request, _("The meeting is saved as a draft."))
            return redirect(saved)
    return _render_form(
        request,
        page,
        form,
        attendance,
        motions,
        attendance_errors=attendance_errors,
        motion_errors=motion_errors,
    )


def _posted_day(request, default):
    """The day whose roll a POST is judged by: the meeting's date as typed, or, when that is
    not a date yet, the day of the roll the page showed."""
    shown = _day(request.POST.get("roll_on"), default)
    try:
        typed = MeetingForm.base_fields["held_on"].clean(request.POST.get("held_on"))
    except ValidationError:
        return shown
    return min(typed, timezone.localdate())


def _roll_context(page, attendance, errors):
    members = {m.pk: m for m in page.roll}
    for row in attendance:
        row.member = members.get(_as_int(row["membership"].value()))
    return {"attendance": attendance, "day": page.day, "attendance_errors": errors}


def _render_form(
    request, page, form, attendance, motions, *, attendance_errors=(), motion_errors=(), extra=()
):
    context = _roll_context(page, attendance, attendance_errors)
    summary = error_summary(
        form,
        Rows(attendance, lambda _number, row: row.member.person.name if row.member else "?"),
        Rows(motions, lambda number, _row: _("Item %(number)s") % {"number": number}, "motions"),
        extra=[
            *extra,
            *((message, "attendance") for message in attendance_errors),
            *((message, "motions") for message in motion_errors),
        ],
    )
    return render(
        request,
        "councils/meeting_form.html",
        {
            **_crumbs(page.organisation),
            **context,
            "title": _form_title(page.meeting, page.kind),
            "form": form,
            "summary": summary,
            "roll_notice": [message for message, _anchor in extra],
            "motions": motions,
            "motion_errors": motion_errors,
            "meeting": page.meeting,
            "courtyard": page.courtyard,
            "kind": page.kind,
            "kinds": Meeting.Kind.choices,
            "body": page.body,
            "has_roll": page.has_roll,
            "rules": _thresholds(page.organisation, page.kind, page.meeting),
            "may_add_motion": len(motions.forms) < MAX_MOTION_ROWS,
        },
    )


def _thresholds(organisation, kind, meeting):
    """What a residents' meeting is judged by: as recorded, or the district's today."""
    if meeting is not None:
        return meeting
    return rules_of(organisation) if kind == Meeting.Kind.RESIDENTS_MEETING else None


def _recorded_motions(page):
    """The motions as recorded, as the motion rows' initial values."""
    if page.meeting is None:
        return []
    return [
        {
            "id": m.pk,
            "deferred": m.outcome == Motion.Outcome.DEFERRED and page.meeting.quorum is not False,
            "consensus": m.outcome == Motion.Outcome.CONSENSUS,
            **{name: getattr(m, name) for name in services.MOTION_FIELDS},
        }
        for m in page.meeting.motions.order_by("number")
    ]


def _blank_forms(page):
    """The page as first opened: the meeting as recorded (or its day), its roll, its motions
    and empty motion rows (two for a new meeting, one more for a recorded one)."""
    recorded = _recorded_motions(page)
    form = MeetingForm(
        kind=page.kind,
        published=page.published,
        initial=_initial(page.meeting) or {"held_on": page.day},
    )
    attendance = AttendanceFormSet(
        prefix="attendance", initial=_attendance_initial(page.meeting, page.roll)
    )
    extra = 1 if recorded else BLANK_MOTIONS
    motions = motion_formset(extra)(
        prefix="motions", form_kwargs={"kind": page.kind}, initial=recorded
    )
    return form, attendance, motions


def _bound_forms(request, page):
    """The meeting form, its attendance list and its motions, bound to a POST."""
    form = MeetingForm(
        request.POST,
        request.FILES or None,
        kind=page.kind,
        published=page.published,
        initial=_initial(page.meeting),
    )
    attendance = AttendanceFormSet(request.POST, prefix="attendance")
    motions = motion_formset(0)(
        request.POST,
        prefix="motions",
        form_kwargs={"kind": page.kind},
        initial=_recorded_motions(page),
    )
    return form, attendance, motions


def _typed_forms(page, form, attendance, motions, more):
    """Unbound copies of the posted forms showing what was typed, unjudged: the roll of
    `page.day` (keeping the ticks and reasons of those still on it) and `more` empty
    motions after the typed ones. Chosen files are not kept: a browser cannot refill them."""
    typed = {f.name: f.data for f in form if not isinstance(f.field, FileField)}
    copy = MeetingForm(kind=page.kind, published=page.published, initial=typed)
    ticks = {
        _as_int(row["membership"].value()): {
            "present": row["present"].data,
            "absence_reason": row["absence_reason"].data or "",
        }
        for row in attendance.forms
    }
    roll = AttendanceFormSet(
        prefix="attendance", initial=_attendance_initial(page.meeting, page.roll, ticks)
    )
    rows = [{f.name: f.data for f in row} for row in motions.forms]
    recorded = _recorded_motions(page)
    wanted = min(len(rows) + more, MAX_MOTION_ROWS)
    motion_rows = motion_formset(max(0, wanted - len(recorded)))(
        prefix="motions", form_kwargs={"kind": page.kind}, initial=recorded, typed=rows
    )
    return copy, roll, motion_rows


def _save(request, page, form, attendance, motions):
    data = form.cleaned_data
    minutes = services.Minutes(
        fields=form.service_fields(),
        attendance=_attendance_rows(request, attendance),
        motions=motions.rows(),
        files=data["attachments"],
        households=data.get("households"),
        households_present=data.get("households_present") or 0,
        participants_count=data.get("participants_count") or 0,
    )
    if page.meeting is None:
        return services.meeting_record(
            organisation=page.organisation, kind=page.kind, minutes=minutes, by=request.user
        )
    return services.meeting_revise(
        meeting=page.meeting,
        minutes=minutes,
        seen_version=data.get("version"),
        reason=data.get("reason", ""),
        by=request.user,
    )


def _form_title(meeting, kind):
    if meeting is None:
        return _("Record a meeting: %(kind)s") % {"kind": Meeting.Kind(kind).label}
    if meeting.is_published:
        return _("Revise the published minutes")
    return _("Edit the draft minutes")


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _attendance_rows(request, attendance):
    """The ticked list as the service takes it; a member id the user may not see is
    refused like any non-member."""
    ids = [row.cleaned_data["membership"] for row in attendance if row.cleaned_data]
    memberships = Membership.objects.visible_to(request.user).select_related("person").in_bulk(ids)
    rows = []
    for row in attendance:
        membership = memberships.get(row.cleaned_data.get("membership"))
        if membership is None:
            raise ValidationError(
                {"attendance": [_("Attendance: someone on the list is not a member of this body.")]}
            )
        rows.append({**row.cleaned_data, "membership": membership})
    return rows


@login_required
@permission_required("councils.view_meeting", raise_exception=True)
def meeting_detail(request, pk):
    meeting = _visible_meeting(request, pk)
    details = selectors.meeting_details(meeting)
    proxies = meeting.proxies
    if proxies and not may_see_personal_data(request.user):
        proxies = mask_address(proxies)
    return render(
        request,
        "councils/meeting_detail.html",
        {
            **_crumbs(meeting.organisation),
            **details,
            "meeting": meeting,
            "proxies": proxies,
            "may_change": request.user.has_perm("councils.change_meeting"),
            "may_object": request.user.has_perm("councils.add_objection") and meeting.is_published,
            "public_courtyards": Coverage.objects.filter(organisation=meeting.organisation)
            .filter(started_on__lte=meeting.held_on)
            .select_related("courtyard")
            .order_by("courtyard__name"),
        },
    )


@login_required
@permission_required("councils.change_meeting", raise_exception=True)
def meeting_publish(request, pk):
    meeting = _visible_meeting(request, pk)
    if meeting.is_published:
        return redirect(meeting)
    form = PublishForm(request.POST or None, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_publish(
                meeting=meeting, seen_version=form.cleaned_data["version"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The decisions are published to residents."))
            return redirect(meeting)
    return render(
        request,
        "councils/meeting_publish.html",
        {
            **_crumbs(meeting.organisation),
            "meeting": meeting,
            "form": form,
            "motions": meeting.motions.order_by("number"),
        },
    )


@login_required
@permission_required("councils.view_meeting", raise_exception=True)
def meeting_attachment(request, pk):
    from councils.models import Attachment

    attachment = get_visible_or_404(Attachment, request.user, pk=pk)
    return attachment_response(attachment.file, attachment.name)


@login_required
@permission_required("councils.add_objection", raise_exception=True)
def objection_add(request, pk):
    motion = get_visible_or_404(
        Motion.objects.select_related("meeting__organisation__community__street__district"),
        request.user,
        pk=pk,
    )
    meeting = motion.meeting
    if not meeting.is_published:
        raise Http404
    form = ObjectionForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_record(motion=motion, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The objection is recorded."))
            return redirect(meeting)
    return render(
        request,
        "councils/form_page.html",
        {
            **_crumbs(meeting.organisation),
            "form": form,
            "title": _("Record an objection to “%(motion)s”") % {"motion": motion.title},
        },
    )


def _period(request):
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start = datetime.date(today.year, 1, 1)
    end, months = today, selectors.COUNCIL_IDLE_MONTHS
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        months = form.cleaned_data["months"] or months
    return form, start, end, months


@login_required
@permission_required("councils.view_meeting", raise_exception=True)
def meeting_reports(request):
    """For staff: meetings held per street, community or courtyard in a period; courtyards
    whose council has not met for N months; decisions published within seven days."""
    form, start, end, months = _period(request)
    level = scope_of(request.user).level
    default = {Level.COMMUNITY: "courtyard", Level.STREET: "community"}.get(level, "street")
    unit = request.GET.get("by", default)
    if unit not in ("street", "community", "courtyard"):
        unit = default
    rows, totals = selectors.meetings_held(request.user, start, end, unit)
    timely_unit = "community" if unit == "courtyard" else unit
    timely, timely_totals = selectors.publication_timeliness(request.user, start, end, timely_unit)
    idle = selectors.courtyards_without_council_meeting(request.user, months)
    return render(
        request,
        "councils/meeting_reports.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "months": months,
            "unit": unit,
            "rows": rows,
            "totals": totals,
            "timely": timely,
            "timely_unit": timely_unit,
            "timely_totals": timely_totals,
            "timely_share": selectors.share(timely_totals["on_time"], timely_totals["decisions"]),
            "idle": Paginator(idle, 50).get_page(request.GET.get("page")),
            "within_days": selectors.PUBLISHED_WITHIN_DAYS,
        },
    )


def public_meeting(request, pk):
    """One published meeting's decisions, for residents without an account (a link to
    share or print on the notice board); drafts answer 404."""
    meeting = selectors.public_meeting(pk)
    if meeting is None:
        raise Http404
    return render(request, "councils/public_meeting.html", {"meeting": meeting})
