"""Pages for the people who enter minutes: their courtyards with the last meeting, the
meeting form (attendance checklist, motions, attachments), the meeting page to read and
print, publishing, an objection, an attachment; and the staff reports."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
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
from portal.forms import apply_errors
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


def _day(request, default):
    try:
        day = datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return default
    return min(day, timezone.localdate())


def _motion_rows(request, recorded):
    try:
        wanted = int(request.GET.get("motions", ""))
    except ValueError:
        wanted = recorded + (BLANK_MOTIONS if recorded == 0 else 1)
    return max(0, min(wanted, MAX_MOTION_ROWS) - recorded)


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
        day=_day(request, timezone.localdate()),
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


def _attendance_initial(meeting, roll):
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
            }
        )
    return rows


def _meeting_form(request, *, organisation, courtyard, kind, day, meeting=None):
    published = meeting is not None and meeting.is_published
    body = organisation.bodies.filter(kind=kind).first() if kind in Meeting.WITH_BODY else None
    roll = list(services.roll(body, day)) if kind in Meeting.WITH_ROLL and body else []
    form, attendance, motions = _bound_forms(request, kind, day, meeting, roll)
    attendance_errors, motion_errors = [], []
    if request.method == "POST" and all(
        [form.is_valid(), attendance.is_valid(), motions.is_valid()]
    ):
        try:
            saved = _save(request, organisation, kind, meeting, form, attendance, motions)
        except ValidationError as error:
            apply_errors(form, error, separate=("attendance", "motions"))
            if hasattr(error, "error_dict"):
                attendance_errors = error.message_dict.get("attendance", [])
                motion_errors = error.message_dict.get("motions", [])
        else:
            if published:
                messages.success(request, _("The revision is recorded and shown to residents."))
            else:
                messages.success(request, _("The meeting is saved as a draft."))
            return redirect(saved)
    members = {m.pk: m for m in roll}
    for row in attendance:
        row.member = members.get(_as_int(row["membership"].value()))
    return render(
        request,
        "councils/meeting_form.html",
        {
            **_crumbs(organisation),
            "title": _form_title(meeting, kind),
            "form": form,
            "attendance": attendance,
            "motions": motions,
            "attendance_errors": attendance_errors,
            "motion_errors": motion_errors,
            "meeting": meeting,
            "courtyard": courtyard,
            "kind": kind,
            "kinds": Meeting.Kind.choices,
            "day": day,
            "body": body,
            "has_roll": kind in Meeting.WITH_ROLL,
            "rules": _thresholds(organisation, kind, meeting),
            "more_motions": len(motions.forms) + 2,
        },
    )


def _thresholds(organisation, kind, meeting):
    """What a residents' meeting is judged by: as recorded, or the district's today."""
    if meeting is not None:
        return meeting
    return rules_of(organisation) if kind == Meeting.Kind.RESIDENTS_MEETING else None


def _bound_forms(request, kind, day, meeting, roll):
    """The meeting form, its attendance list and its motions, bound on a POST."""
    published = meeting is not None and meeting.is_published
    recorded = list(meeting.motions.order_by("number")) if meeting else []
    data = request.POST if request.method == "POST" else None
    initial = _initial(meeting) or {"held_on": day}
    form = MeetingForm(data, request.FILES or None, kind=kind, published=published, initial=initial)
    attendance = AttendanceFormSet(
        data, prefix="attendance", initial=_attendance_initial(meeting, roll)
    )
    motions = motion_formset(_motion_rows(request, len(recorded)))(
        data,
        prefix="motions",
        form_kwargs={"kind": kind},
        initial=[
            {
                "id": m.pk,
                "deferred": m.outcome == Motion.Outcome.DEFERRED and meeting.quorum is not False,
                "consensus": m.outcome == Motion.Outcome.CONSENSUS,
                **{name: getattr(m, name) for name in services.MOTION_FIELDS},
            }
            for m in recorded
        ],
    )
    return form, attendance, motions


def _save(request, organisation, kind, meeting, form, attendance, motions):
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
    if meeting is None:
        return services.meeting_record(
            organisation=organisation, kind=kind, minutes=minutes, by=request.user
        )
    return services.meeting_revise(
        meeting=meeting,
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
    end, months = today, 3
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
