"""Meetings of an organisation's bodies and their minutes: attendance and quorum, motions
(议题) with their votes and resolutions (决议), attachments, publication to residents
(居务公开) with a public-notice period (公示期), objections, and revisions after publication.

The rules (the services apply them; the database holds what it can):
- council and group: quorum when more than half of the members serving on the meeting day
  are present (present × 2 > members); a motion is adopted when more than half of the
  members present vote for it (for × 2 > present);
- residents' meeting: one vote per household; quorum when more than half of the households
  of the courtyards covered are represented, in person or by a named proxy; a motion is
  adopted when more than half of the households represented vote for it;
- joint meeting and five-party consultation: no member roll (participants are recorded as
  text by role and organisation), quorum does not apply; a motion is adopted when more than
  half of the participants vote for it;
- open-air consultation (坝坝会/协商议事会): residents who come, counted; no quorum and no
  vote of households: each motion is recorded as consensus reached or opinions recorded,
  never adopted, so it cannot approve a fund project;
- the residents' meeting's thresholds are the district's (docs/rules.md), kept on each
  meeting as recorded (`quorum_percent`, `adoption_percent`); the other kinds use more than
  half;
- without quorum a meeting is recorded but none of its motions is adopted; a motion may be
  deferred (not put to the vote).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from councils.models.district_rules import (
    DEFAULT_ADOPTION_PERCENT,
    DEFAULT_QUORUM_PERCENT,
    rules_of,
)
from councils.models.organisations import Body, Organisation, community_scope
from portal.access import ScopedQuerySet
from portal.uploads import upload_path, validate_attachment


def _user(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


def notice_days_for(organisation):
    """The public-notice period of the organisation's district (docs/rules.md)."""
    return rules_of(organisation).notice_days


class MeetingQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(status=Meeting.Status.PUBLISHED)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        RESIDENTS_MEETING = "meeting", _("Residents' meeting")
        COUNCIL = "council", _("Representatives' council")
        GROUP = "group", _("Self-management group")
        JOINT = "joint", _("Joint meeting with the owners' committee and property company")
        FIVE_PARTY = "five_party", _("Five-party consultation")
        CONSULTATION = "consultation", _("Open-air consultation (坝坝会)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    WITH_BODY = (Kind.RESIDENTS_MEETING, Kind.COUNCIL, Kind.GROUP)
    WITH_ROLL = (Kind.COUNCIL, Kind.GROUP)
    WITHOUT_BODY = (Kind.JOINT, Kind.FIVE_PARTY, Kind.CONSULTATION)

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind of meeting"), max_length=16, choices=Kind.choices)
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("body"),
    )
    held_on = models.DateField(_("held on"))
    start_time = models.TimeField(_("starting time"), null=True, blank=True)
    place = models.CharField(pgettext_lazy("meeting", "place"), max_length=100)
    chair = models.CharField(_("chaired by"), max_length=50)
    recorder = models.CharField(_("minutes taken by"), max_length=50)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    participants = models.TextField(
        _("participants"),
        blank=True,
        help_text=_("Joint meetings and consultations: who took part, by role and organisation."),
    )
    # The figures quorum and votes are counted against, computed by the services.
    members = models.PositiveIntegerField(
        _("entitled to attend"),
        default=0,
        help_text=_("Members serving that day, or households of the courtyards covered."),
    )
    present = models.PositiveIntegerField(
        _("present"),
        default=0,
        help_text=_("Members present, households represented, or participants."),
    )
    households_by_proxy = models.PositiveIntegerField(
        _("households represented by proxy"), default=0
    )
    proxies = models.TextField(
        _("proxies"),
        blank=True,
        help_text=_("One line per proxy: the household represented and who represented it."),
    )
    other_attendees = models.PositiveIntegerField(_("other residents attending (人)"), default=0)
    quorum = models.BooleanField(_("quorum reached"), null=True, blank=True)
    # The thresholds the meeting was judged by: the district's for a residents' meeting
    # when it was first recorded (docs/rules.md), more than half for the others.
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum: more than (per cent)"), default=DEFAULT_QUORUM_PERCENT, editable=False
    )
    adoption_percent = models.PositiveSmallIntegerField(
        _("adoption: more than (per cent)"), default=DEFAULT_ADOPTION_PERCENT, editable=False
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = _user(_("published by"))
    notice_ends_on = models.DateField(_("public notice until"), null=True, blank=True)
    # Days from the meeting to publication, kept for the staff report on timeliness.
    published_after_days = models.PositiveIntegerField(
        _("published after (days)"), null=True, blank=True, editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    recorded_by = _user(_("recorded by"))
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()
    scope_lookups = community_scope("organisation__")
    personal_fields = ("proxies",)  # households and who represented them (portal.access)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="meeting_body_matches_kind",
                condition=Q(kind__in=["meeting", "council", "group"], body__isnull=False)
                | Q(kind__in=["joint", "five_party", "consultation"], body__isnull=True),
                violation_error_message=_(
                    "Meetings of a body name the body; joint meetings and consultations do not."
                ),
            ),
            models.CheckConstraint(
                name="meeting_quorum_follows_rule",
                condition=Q(kind__in=["joint", "five_party", "consultation"], quorum__isnull=True)
                | Q(
                    GreaterThan(F("present") * 100, F("members") * F("quorum_percent")),
                    kind__in=["meeting", "council", "group"],
                    quorum=True,
                )
                | Q(
                    LessThanOrEqual(F("present") * 100, F("members") * F("quorum_percent")),
                    kind__in=["meeting", "council", "group"],
                    quorum=False,
                ),
                violation_error_message=_(
                    "Quorum is reached when more than the meeting's share of those entitled attend."
                ),
            ),
            models.CheckConstraint(
                name="meeting_present_within_members",
                condition=Q(kind__in=["joint", "five_party", "consultation"])
                | Q(present__lte=F("members")),
                violation_error_message=_("More are present than are entitled to attend."),
            ),
            models.CheckConstraint(
                name="meeting_thresholds_in_range",
                condition=Q(quorum_percent__gte=1, quorum_percent__lte=99)
                & Q(adoption_percent__gte=1, adoption_percent__lte=99),
                violation_error_message=_(
                    "Quorum and adoption thresholds lie between 1 and 99 per cent."
                ),
            ),
            models.CheckConstraint(
                name="meeting_published_has_dates",
                condition=Q(
                    status="draft",
                    published_on__isnull=True,
                    published_at__isnull=True,
                    notice_ends_on__isnull=True,
                )
                | Q(
                    status="published",
                    published_after_days__isnull=False,
                    published_on__isnull=False,
                    published_at__isnull=False,
                    notice_ends_on__gte=F("published_on"),
                    published_on__gte=F("held_on"),
                ),
                violation_error_message=_(
                    "A published meeting has its publication date and notice period."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-held_on"]),
            models.Index(fields=["status", "held_on"]),
            models.Index(fields=["held_on", "id"]),  # the listed order
        ]

    def __str__(self):
        return _("%(kind)s of %(day)s") % {
            "kind": self.get_kind_display(),
            "day": self.held_on.isoformat() if self.held_on else "",
        }

    def get_absolute_url(self):
        return reverse("councils:meeting", args=[self.pk])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def has_roll(self):
        return self.kind in self.WITH_ROLL

    @property
    def quorum_applies(self):
        return self.kind in self.WITH_BODY

    @property
    def is_residents_meeting(self):
        return self.kind == self.Kind.RESIDENTS_MEETING

    @property
    def is_consultation(self):
        return self.kind == self.Kind.CONSULTATION

    @property
    def in_notice_period(self):
        return self.notice_ends_on is not None and timezone.localdate() <= self.notice_ends_on

    def clean(self):
        errors = {}
        if self.held_on and self.held_on > timezone.localdate():
            errors["held_on"] = _(
                "A meeting is recorded once it has been held: this date lies in the future."
            )
        if self.kind in self.WITH_BODY:
            if not self.body_id:
                errors["body"] = _("Name the body that met.")
            elif self.body.kind != self.kind:
                errors["body"] = _("The body does not match the kind of meeting.")
            elif self.organisation_id and self.body.organisation_id != self.organisation_id:
                errors["body"] = _("The body belongs to another organisation.")
        elif self.kind and self.body_id:
            errors["body"] = _("Joint meetings and consultations are not meetings of one body.")
        if self.kind in (self.Kind.JOINT, self.Kind.FIVE_PARTY) and not self.participants.strip():
            errors["participants"] = _(
                "Say who took part, by role and organisation (e.g. 业委会主任、物业公司经理)."
            )
        if self.organisation_id and self.held_on and self.held_on < self.organisation.set_up_on:
            errors["held_on"] = _("The organisation was not set up yet on this day.")
        if errors:
            raise ValidationError(errors)


class Attendance(models.Model):
    """A member of the body serving on the meeting day: present, or absent with a reason."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("meeting")
    )
    membership = models.ForeignKey(
        "councils.Membership",
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("member"),
    )
    present = models.BooleanField(_("present"), default=False)
    absence_reason = models.CharField(_("reason for absence"), max_length=100, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = community_scope("meeting__organisation__")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"],
                name="attendance_once_per_member",
                violation_error_message=_("This member is already on the attendance list."),
            ),
            models.CheckConstraint(
                name="attendance_reason_only_when_absent",
                condition=Q(present=False) | Q(absence_reason=""),
                violation_error_message=_("A reason for absence is for members who were absent."),
            ),
        ]

    def __str__(self):
        return str(self.membership)

    def clean(self):
        if not (self.meeting_id and self.membership_id):
            return
        meeting, membership = self.meeting, self.membership
        if membership.body_id != meeting.body_id or not membership.is_serving_on(meeting.held_on):
            raise ValidationError(
                {
                    "membership": _(
                        "%(person)s was not a member of this body on the day of the meeting."
                    )
                    % {"person": membership.person}
                }
            )


class Motion(models.Model):
    """A motion (议题) and the resolution (决议) taken on it."""

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")
        # Open-air consultations: no vote of households, what the residents said.
        CONSENSUS = "consensus", _("Consensus reached")
        NOTED = "noted", _("Opinions recorded")

    VOTED = (Outcome.ADOPTED, Outcome.REJECTED)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="motions", verbose_name=_("meeting")
    )
    number = models.PositiveSmallIntegerField(_("item number"))
    title = models.CharField(_("motion"), max_length=200)
    discussion = models.TextField(_("summary of the discussion"), blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveIntegerField(_("votes against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), default=0)
    voters = models.PositiveIntegerField(
        _("entitled to vote"),
        default=0,
        help_text=_("Those present (members, households or participants) when it was put."),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    decision = models.TextField(_("resolution"), blank=True)
    carried_out_by = models.CharField(
        _("carried out by"),
        max_length=100,
        blank=True,
        help_text=_("A role or body, e.g. 院落自治管理小组."),
    )
    due_on = models.DateField(_("due by"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = community_scope("meeting__organisation__")

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="motion_number_unique_in_meeting",
                violation_error_message=_("This meeting already has an item of this number."),
            ),
            models.CheckConstraint(
                name="motion_votes_within_voters",
                condition=Q(voters__gte=F("votes_for") + F("votes_against") + F("votes_abstain")),
                violation_error_message=_("More votes were cast than there were voters present."),
            ),
            models.CheckConstraint(
                name="motion_adopted_with_votes",
                condition=~Q(outcome="adopted") | Q(votes_for__gt=0),
                violation_error_message=_("A motion is adopted by the votes of those present."),
            ),
        ]

    def __str__(self):
        return self.title


class Attachment(models.Model):
    """Signed paper minutes or photos: a PDF or an image, checked by its bytes. Served only
    to users who may see the meeting; never shown on the public page."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("meeting")
    )
    file = models.FileField(
        _("file"), upload_to=upload_path, validators=[validate_attachment], max_length=200
    )
    name = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = _user(_("uploaded by"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = community_scope("meeting__organisation__")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["meeting", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("councils:meeting_attachment", args=[self.pk])


class Revision(models.Model):
    """A change made after publication, with its reason and what changed: corrections are
    kept in view, never overwritten silently."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("meeting")
    )
    number = models.PositiveSmallIntegerField(_("revision number"))
    made_at = models.DateTimeField(_("revised at"), default=timezone.now)
    made_by = _user(_("revised by"))
    reason = models.CharField(_("reason for the revision"), max_length=200)
    changes = models.TextField(_("what changed"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = community_scope("meeting__organisation__")

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="revision_number_unique_in_meeting",
                violation_error_message=_("This meeting already has a revision of this number."),
            ),
            models.CheckConstraint(
                name="revision_has_reason",
                condition=~Q(reason=""),
                violation_error_message=_("Say why the published minutes were revised."),
            ),
        ]

    def __str__(self):
        return _("Revision %(number)s") % {"number": self.number}


class Objection(models.Model):
    """An objection a resident raised against a published decision during the notice
    period, recorded by a member. The public page shows only the count."""

    motion = models.ForeignKey(
        Motion, on_delete=models.PROTECT, related_name="objections", verbose_name=_("motion")
    )
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("what the objection says"))
    recorded_by = _user(_("recorded by"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = community_scope("motion__meeting__organisation__")

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["motion", "received_on", "pk"]

    def __str__(self):
        return _("Objection of %(day)s") % {"day": self.received_on}

    def clean(self):
        if not (self.motion_id and self.received_on):
            return
        meeting = self.motion.meeting
        if not meeting.is_published:
            raise ValidationError(
                {"motion": _("Objections are recorded against published decisions.")}
            )
        if self.received_on > timezone.localdate():
            raise ValidationError({"received_on": _("This date lies in the future.")})
        if not meeting.published_on <= self.received_on <= meeting.notice_ends_on:
            raise ValidationError(
                {
                    "received_on": _(
                        "Objections are received during the public-notice period "
                        "(%(start)s to %(end)s)."
                    )
                    % {"start": meeting.published_on, "end": meeting.notice_ends_on}
                }
            )


def notice_end(published_on, days):
    """The last day of the notice period: published on day 1, `days` days in all."""
    return published_on + datetime.timedelta(days=days - 1)
