"""Writes of the inspections app, each in a transaction, called by pages and admin alike.

Every function is `<entity>_<action>(*, ..., by)`. A refused write raises ValidationError
whose keys name the form field concerned (`score_<item pk>` for an item's score), so that
views show the message next to the field; nothing is stored when one is raised.

Scope is checked by the callers (views, admin, imports) through portal.access: a service
trusts that its caller fetched the records within the user's scope and does not check again.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from courtyards.models import Community
from inspections import selectors
from inspections.models import (
    Assignment,
    Bulletin,
    Campaign,
    CampaignArea,
    CampaignItem,
    CriteriaItem,
    GroupMember,
    Inspection,
    InspectionPhoto,
    ProgressNote,
    Rectification,
    Score,
    Verdict,
    is_district_user,
    verdict_reason_error,
)
from portal.models import person_name

TENTH = Decimal("0.1")


def score_field(item):
    """The form field name of an item's score."""
    return f"score_{item.pk if hasattr(item, 'pk') else item}"


def remark_field(item):
    return f"remark_{item.pk if hasattr(item, 'pk') else item}"


# --- Campaigns ---------------------------------------------------------------------------


def criteria_locked(campaign):
    """A campaign's criteria and thresholds are fixed once it has a visit."""
    return Inspection.objects.filter(assignment__campaign=campaign).exists()


def check_template(template):
    """A template is copied only if it has something to score; the admin's form asks this
    before saving, the copy asks it again."""
    if not CriteriaItem.objects.filter(area__template=template).exists():
        raise ValidationError({"criteria_template": _("This template has no items to score.")})


@transaction.atomic
def campaign_copy_criteria(*, campaign, template, by):
    """Copy a template's areas and items into the campaign, which then keeps its own copy:
    later edits of the template never change the campaign or its results."""
    if template.district_id != campaign.district_id:
        raise ValidationError(
            {"criteria_template": _("Choose a template of this campaign's district.")}
        )
    if campaign.areas.exists():
        raise ValidationError(
            {"criteria_template": _("This campaign already has its criteria; edit them instead.")}
        )
    check_template(template)
    areas = list(template.areas.prefetch_related("items"))
    for area in areas:
        copy = CampaignArea.objects.create(
            campaign=campaign, name=area.name, position=area.position
        )
        bulk_create_with_history(
            [
                CampaignItem(
                    area=copy, name=item.name, max_score=item.max_score, position=item.position
                )
                for item in area.items.all()
            ],
            CampaignItem,
            default_user=by,
        )
    campaign.criteria_template = template
    campaign.save(update_fields=["criteria_template"])
    return campaign


@transaction.atomic
def campaign_create(*, campaign, template=None, by):
    """Save a new (planned) campaign and copy `template`'s criteria into it, in one
    transaction: a campaign is never left half made when the template cannot be copied."""
    campaign.status = Campaign.Status.PLANNED
    campaign.criteria_template = None  # set by the copy, which checks the template
    campaign.full_clean()
    campaign.save()
    if template is not None:
        campaign_copy_criteria(campaign=campaign, template=template, by=by)
    return campaign


@transaction.atomic
def campaign_update(*, campaign, template=None, by):
    """Save a campaign's changed facts; a campaign still without criteria may be given a
    template's. Thresholds are fixed once it has a visit, as its criteria are."""
    if _thresholds_changed_after_visits(campaign):
        raise ValidationError(
            {"commend_threshold": _("The campaign has visits: its thresholds are fixed.")}
        )
    campaign.full_clean(exclude=["criteria_template"])
    campaign.save()
    if template is not None and not campaign.areas.exists():
        campaign_copy_criteria(campaign=campaign, template=template, by=by)
    return campaign


def _thresholds_changed_after_visits(campaign):
    if not criteria_locked(campaign):
        return False
    saved = Campaign.objects.values("commend_threshold", "criticise_threshold").get(pk=campaign.pk)
    return (campaign.commend_threshold, campaign.criticise_threshold) != (
        saved["commend_threshold"],
        saved["criticise_threshold"],
    )


# --- Groups and targets ------------------------------------------------------------------


def _check_planning(campaign):
    if campaign.is_closed:
        raise ValidationError(_("The campaign is closed: its groups and targets are final."))


@transaction.atomic
def group_save(*, group, members, by):
    """Create or change an inspection group with exactly `members` (besides its leader).
    Members may be added at any time before the campaign closes; they are removed only
    while it is planned, since once under way they may have recorded visits."""
    campaign = group.campaign
    _check_planning(campaign)
    group.full_clean()
    current = {m.user_id: m for m in group.memberships.all()} if group.pk else {}
    wanted = {user.pk: user for user in members if user.pk != group.leader_id}
    dropped = [m for user_id, m in current.items() if user_id not in wanted]
    if dropped and not campaign.is_planned:
        raise ValidationError(
            {"members": _("The campaign is under way: members can be added, not removed.")}
        )
    added = [GroupMember(group=group, user=u) for pk, u in wanted.items() if pk not in current]
    errors = []
    for member in added:
        try:
            # A new group has no key yet: its members are checked against it before it is saved.
            exclude = ["group"] if group.pk is None else []
            member.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors += [f"{person_name(member.user)}：{m}" for m in error.messages]
    if errors:
        raise ValidationError({"members": errors})
    group.save()
    for member in dropped:
        member.delete()
    for member in added:
        member.group = group
        member.save()
    return group


@transaction.atomic
def targets_assign(*, group, courtyards=(), communities=(), by):
    """Make each courtyard and each community (the community itself) a target of `group`:
    new targets are added, targets of another group of the campaign move to this one.
    All or nothing: one refused target (visited, closed, outside the district) stores none,
    and each refusal names its target. Returns (added, moved)."""
    campaign = group.campaign
    _check_planning(campaign)
    existing = {
        (a.courtyard_id, a.community_id if a.courtyard_id is None else None): a
        for a in Assignment.objects.filter(campaign=campaign).select_for_update(of=("self",))
    }
    wanted = [(c, (c.pk, None)) for c in courtyards] + [(c, (None, c.pk)) for c in communities]
    changes, errors, added, moved = [], [], 0, 0
    for target, key in wanted:
        assignment = existing.get(key)
        if assignment is not None and assignment.group_id == group.pk:
            continue
        if assignment is None:
            is_courtyard = key[0] is not None
            assignment = Assignment(
                group=group,
                courtyard=target if is_courtyard else None,
                community=target.community if is_courtyard else target,
            )
            added += 1
        else:
            assignment.group = group
            moved += 1
        try:
            assignment.full_clean()
        except ValidationError as error:
            errors += [f"{target.name}：{message}" for message in error.messages]
        changes.append(assignment)
    if errors:
        raise ValidationError(errors)
    for assignment in changes:
        assignment.save()
    return added, moved


@transaction.atomic
def targets_remove(*, campaign, assignments, by):
    """Take targets off a planned campaign (nothing was visited yet). Once it is under way,
    targets are moved between groups, not removed."""
    if not campaign.is_planned:
        raise ValidationError(
            _("The campaign is under way: targets can be moved to another group, not removed.")
        )
    assignments = list(assignments)
    for assignment in assignments:
        if assignment.campaign_id != campaign.pk:
            raise ValidationError(_("Some targets are of another campaign."))
    for assignment in assignments:
        assignment.delete()
    return len(assignments)


@transaction.atomic
def campaign_start(*, campaign, by):
    """Planned → under way: the criteria have items and at least one target is assigned."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.is_planned:
        raise ValidationError(_("Only a planned campaign can start."))
    if not CampaignItem.objects.filter(area__campaign=campaign).exists():
        raise ValidationError(_("Give the campaign its scoring criteria before it starts."))
    if not campaign.assignments.exists():
        raise ValidationError(_("Assign courtyards or communities to a group before starting."))
    campaign.status = Campaign.Status.UNDER_WAY
    campaign.save(update_fields=["status"])
    return campaign


@transaction.atomic
def campaign_close(*, campaign, closed_on=None, by):
    """Under way → closed. Visits are no longer recorded; the bulletin can be written."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    closed_on = closed_on or timezone.localdate()
    if not campaign.is_under_way:
        raise ValidationError(_("Only a campaign under way can be closed."))
    if closed_on < campaign.starts_on:
        raise ValidationError({"closed_on": _("A campaign cannot close before it starts.")})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("A campaign cannot close on a future date.")})
    campaign.status = Campaign.Status.CLOSED
    campaign.closed_on = closed_on
    campaign.save(update_fields=["status", "closed_on"])
    return campaign


# --- Visits ------------------------------------------------------------------------------


def _check_recording(campaign):
    if not campaign.is_under_way:
        raise ValidationError(_("Visits are recorded only while the campaign is under way."))


def _check_visit_date(campaign, visited_on, errors):
    if visited_on is None:
        errors["visited_on"] = _("Enter the date of the visit.")
    elif visited_on < campaign.starts_on:
        message = _("The visit cannot precede the campaign (it starts on %(date)s).")
        errors["visited_on"] = message % {"date": campaign.starts_on.isoformat()}
    elif visited_on > timezone.localdate():
        errors["visited_on"] = _("The visit cannot be on a future date.")


def _check_reinspection(assignment, visited_on, is_reinspection, reinspection_reason, errors):
    """A target's first visit is not a re-inspection; any later one must be, with a reason,
    and cannot precede the visit before it."""
    previous = assignment.inspections.order_by("-visited_on", "-pk").first()
    if previous and not is_reinspection:
        errors["is_reinspection"] = _(
            "This target was already visited on %(date)s in this campaign; mark this visit a "
            "re-inspection and give the reason."
        ) % {"date": previous.visited_on.isoformat()}
    if is_reinspection:
        if previous is None:
            errors["is_reinspection"] = _("A re-inspection follows a first visit: untick it.")
        elif visited_on and visited_on < previous.visited_on:
            errors["visited_on"] = _("A re-inspection cannot precede the visit on %(date)s.") % {
                "date": previous.visited_on.isoformat()
            }
        if not (reinspection_reason or "").strip():
            errors["reinspection_reason"] = _("Give the reason for the re-inspection.")


def _scored(campaign, scores, remarks, errors):
    """Checks one score per item of the campaign's criteria, each within its bounds, and
    returns the Score rows (unsaved), the total and the full marks."""
    items = list(CampaignItem.objects.filter(area__campaign=campaign))
    if not items:
        errors["__all__"] = _("This campaign has no scoring criteria yet.")
        return [], Decimal(0), Decimal(0)
    rows, total, max_total = [], Decimal("0.0"), Decimal("0.0")
    for item in items:
        value = scores.get(item.pk)
        if value in (None, ""):
            errors[score_field(item)] = _("Score this item.")
            continue
        value = Decimal(value)
        if value != value.quantize(TENTH):
            errors[score_field(item)] = _("Give the score with at most one decimal.")
            continue
        value = value.quantize(TENTH)
        if not 0 <= value <= item.max_score:
            errors[score_field(item)] = _("Enter a score between 0 and %(max)s.") % {
                "max": item.max_score
            }
            continue
        rows.append(
            Score(
                item=item,
                score=value,
                max_score=item.max_score,
                remark=(remarks or {}).get(item.pk, "")[:200],
            )
        )
        total += value
        max_total += item.max_score.quantize(TENTH)
    unknown = set(scores) - {item.pk for item in items}
    if unknown:
        errors["__all__"] = _("Some scores are for items of another campaign.")
    return rows, total, max_total


def _verdicts(campaign, total, max_total, final_verdict, verdict_reason, errors):
    suggested = campaign.suggest(total, max_total) if max_total else Verdict.PASS
    final = final_verdict or suggested
    if final not in Verdict.values:
        errors["final_verdict"] = _("Choose a verdict.")
    elif final != suggested and not (verdict_reason or "").strip():
        errors["verdict_reason"] = verdict_reason_error(suggested)
    return suggested, final


@transaction.atomic
def inspection_record(
    *,
    assignment,
    visited_on,
    scores,
    remarks=None,
    findings="",
    final_verdict="",
    verdict_reason="",
    is_reinspection=False,
    reinspection_reason="",
    by,
):
    """Record a visit of an assigned target: a score per item ({item pk: score}), the total
    and suggested verdict computed from the campaign's thresholds, and the final verdict
    (the suggestion unless another is given with a reason).

    A target is visited once per campaign; another visit must be marked a re-inspection with
    its reason, and then supersedes the earlier ones in the campaign's results."""
    campaign = Campaign.objects.select_for_update().get(pk=assignment.campaign_id)
    _check_recording(campaign)
    errors = {}
    _check_visit_date(campaign, visited_on, errors)
    _check_reinspection(assignment, visited_on, is_reinspection, reinspection_reason, errors)
    rows, total, max_total = _scored(campaign, scores, remarks, errors)
    suggested, final = _verdicts(campaign, total, max_total, final_verdict, verdict_reason, errors)
    if errors:
        raise ValidationError(errors)
    inspection = Inspection(
        assignment=assignment,
        visited_on=visited_on,
        is_reinspection=bool(is_reinspection),
        reinspection_reason=(reinspection_reason or "").strip() if is_reinspection else "",
        findings=findings or "",
        total=total,
        max_total=max_total,
        suggested_verdict=suggested,
        final_verdict=final,
        verdict_reason=(verdict_reason or "").strip() if final != suggested else "",
        recorded_by=by,
    )
    inspection.full_clean()
    inspection.save()
    for row in rows:
        row.inspection = inspection
    bulk_create_with_history(rows, Score, default_user=by)
    return inspection


@transaction.atomic
def inspection_update(
    *,
    inspection,
    visited_on,
    scores,
    remarks=None,
    findings="",
    final_verdict="",
    verdict_reason="",
    reinspection_reason="",
    by,
):
    """Correct a visit: scores, findings and verdict; the total and the suggested verdict
    are computed again. Once the campaign is closed only district staff may correct it (a
    published bulletin keeps what it said)."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    campaign = Campaign.objects.get(pk=inspection.assignment.campaign_id)
    if campaign.is_closed and not is_district_user(by):
        raise ValidationError(
            _("The campaign is closed: only district staff may still correct its visits.")
        )
    errors = {}
    _check_visit_date(campaign, visited_on, errors)
    if inspection.is_reinspection and not (reinspection_reason or "").strip():
        errors["reinspection_reason"] = _("Give the reason for the re-inspection.")
    rows, total, max_total = _scored(campaign, scores, remarks, errors)
    suggested, final = _verdicts(campaign, total, max_total, final_verdict, verdict_reason, errors)
    if errors:
        raise ValidationError(errors)
    existing = {score.item_id: score for score in inspection.scores.all()}
    for row in rows:
        score = existing.get(row.item_id)
        if score is None:
            row.inspection = inspection
            row.save()
        elif (score.score, score.remark) != (row.score, row.remark):
            score.score, score.remark, score.max_score = row.score, row.remark, row.max_score
            score.save()
    inspection.visited_on = visited_on
    inspection.findings = findings or ""
    if inspection.is_reinspection:
        inspection.reinspection_reason = reinspection_reason.strip()
    inspection.total, inspection.max_total = total, max_total
    inspection.suggested_verdict, inspection.final_verdict = suggested, final
    inspection.verdict_reason = (verdict_reason or "").strip() if final != suggested else ""
    inspection.full_clean()
    inspection.save()
    return inspection


@transaction.atomic
def inspection_add_photo(*, inspection, file, caption="", by):
    """Attach a photo (or scanned page) to a visit, checked by its content."""
    photo = InspectionPhoto(
        inspection=inspection,
        file=file,
        original_name=getattr(file, "name", "")[:255],
        caption=caption or "",
        uploaded_by=by,
    )
    photo.full_clean()
    photo.save()
    return photo


# --- Rectification -----------------------------------------------------------------------


@transaction.atomic
def rectification_create(*, inspection, problem, deadline, community=None, by):
    """A problem noted in a visit becomes a rectification item for the responsible
    community (by default the visited target's community), due by `deadline`."""
    campaign = inspection.assignment.campaign
    if campaign.is_closed:
        raise ValidationError(_("The campaign is closed: problems are no longer added to it."))
    community = community or inspection.assignment.community
    errors = {}
    if not (problem or "").strip():
        errors["problem"] = _("Describe the problem.")
    if deadline is None:
        errors["deadline"] = _("Enter the deadline.")
    elif deadline <= inspection.visited_on:
        errors["deadline"] = _("The deadline must fall after the visit (%(date)s).") % {
            "date": inspection.visited_on.isoformat()
        }
    in_district = Community.objects.filter(pk=community.pk, street__district=campaign.district_id)
    if not in_district.exists():
        errors["community"] = _("Choose a community of this campaign's district.")
    if errors:
        raise ValidationError(errors)
    rectification = Rectification(
        inspection=inspection,
        problem=problem.strip(),
        community=community,
        deadline=deadline,
        created_by=by,
    )
    rectification.full_clean()
    rectification.save()
    return rectification


def _check_note_date(rectification, noted_on, errors):
    if noted_on is None:
        errors["noted_on"] = _("Enter the date.")
    elif noted_on > timezone.localdate():
        errors["noted_on"] = _("The date cannot be in the future.")
    elif noted_on < rectification.inspection.visited_on:
        errors["noted_on"] = _("The date cannot precede the visit (%(date)s).") % {
            "date": rectification.inspection.visited_on.isoformat()
        }


@transaction.atomic
def rectification_report(*, rectification, noted_on, text, done=False, evidence=None, by):
    """The responsible community reports progress, or that the work is done (it then waits
    for the inspectors' verification)."""
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if rectification.status == Rectification.Status.VERIFIED:
        raise ValidationError(_("This item is already verified as rectified."))
    if rectification.status == Rectification.Status.DONE:
        raise ValidationError(
            _("This item is reported done and waits for the inspectors' verification.")
        )
    errors = {}
    _check_note_date(rectification, noted_on, errors)
    if not (text or "").strip():
        errors["text"] = _("Say what was done.")
    if errors:
        raise ValidationError(errors)
    note = ProgressNote(
        rectification=rectification,
        kind=ProgressNote.Kind.DONE if done else ProgressNote.Kind.PROGRESS,
        noted_on=noted_on,
        text=text.strip(),
        author=by,
    )
    if evidence:
        note.evidence = evidence
        note.evidence_name = evidence.name[:255]
    note.full_clean()
    note.save()
    rectification.status = Rectification.Status.DONE if done else Rectification.Status.IN_PROGRESS
    rectification.save(update_fields=["status"])
    return note


@transaction.atomic
def rectification_verify(*, rectification, accepted, note="", verified_on=None, by):
    """An inspector checks an item reported done: accepted, it is verified and closed;
    sent back (with a note saying why), it is in progress again and the deadline stands."""
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    verified_on = verified_on or timezone.localdate()
    if rectification.status != Rectification.Status.DONE:
        raise ValidationError(_("Only an item reported done can be verified."))
    errors = {}
    _check_note_date(rectification, verified_on, errors)
    if not accepted and not (note or "").strip():
        errors["note"] = _("Say why the rectification is sent back.")
    if errors:
        raise ValidationError(errors)
    ProgressNote.objects.create(
        rectification=rectification,
        kind=ProgressNote.Kind.VERIFIED if accepted else ProgressNote.Kind.RETURNED,
        noted_on=verified_on,
        text=(note or "").strip() or _("Rectification verified."),
        author=by,
    )
    if accepted:
        rectification.status = Rectification.Status.VERIFIED
        rectification.verified_by = by
        rectification.verified_on = verified_on
    else:
        rectification.status = Rectification.Status.IN_PROGRESS
    rectification.full_clean()
    rectification.save()
    return rectification


# --- Bulletin ----------------------------------------------------------------------------


@transaction.atomic
def bulletin_create(*, campaign, by):
    """A draft bulletin for a closed campaign; its figures follow the visits until published."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.is_closed:
        raise ValidationError(_("A bulletin is written once the campaign is closed."))
    if Bulletin.objects.filter(campaign=campaign).exists():
        raise ValidationError(_("This campaign already has its bulletin."))
    bulletin = Bulletin(
        campaign=campaign,
        title=_("Bulletin on %(campaign)s") % {"campaign": campaign.title},
        requirements=_(
            "Streets are to supervise the communities concerned in rectifying each problem by "
            "its deadline and to report the results to the district civil affairs bureau; the "
            "bureau will re-inspect."
        ),
    )
    bulletin.full_clean()
    bulletin.save()
    return bulletin


@transaction.atomic
def bulletin_update(*, bulletin, title, number="", introduction="", requirements="", by):
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.is_published:
        raise ValidationError(_("A published bulletin cannot be changed."))
    bulletin.title, bulletin.number = title, number
    bulletin.introduction, bulletin.requirements = introduction, requirements
    bulletin.full_clean()
    bulletin.save()
    return bulletin


@transaction.atomic
def bulletin_publish(*, bulletin, published_on=None, by):
    """Publish to every staff member of the district: the bulletin stores what it says
    (figures, lists and texts, as rendered now) and never changes again; the campaign's
    results become visible to streets and communities."""
    bulletin = Bulletin.objects.select_for_update().select_related("campaign").get(pk=bulletin.pk)
    if bulletin.is_published:
        raise ValidationError(_("This bulletin is already published."))
    published_on = published_on or timezone.localdate()
    campaign = bulletin.campaign
    if not campaign.is_closed:
        raise ValidationError(_("A bulletin is written once the campaign is closed."))
    snapshot = selectors.bulletin_snapshot(bulletin, as_of=published_on)
    bulletin.full_clean()  # before the status changes: a published bulletin refuses clean()
    bulletin.snapshot = snapshot
    bulletin.status = Bulletin.Status.PUBLISHED
    bulletin.published_on = published_on
    bulletin.published_by = by
    bulletin.save()
    campaign.results_published_on = published_on
    campaign.save(update_fields=["results_published_on"])
    return bulletin
