"""Terms (届) of the council and the group, and the memberships of the people who serve.

Dates, as the whole app reads them:
- a Term runs from `started_on` to `ends_on`, both days included (任期 2021-06-01 至
  2024-05-31); terms of one body never share a day;
- a Membership runs from `started_on` until `ended_on`, the first day the person no longer
  serves (empty while they serve). A person serves on day D when
  started_on <= D and (ended_on is empty or ended_on > D). When a new term starts on S, the
  previous term's members end on S, so nobody serves twice on one day.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.constraints import NoOverlap
from councils.models.organisations import Body, community_scope
from portal.access import ScopedQuerySet


class Term(models.Model):
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="terms", verbose_name=_("body")
    )
    number = models.PositiveSmallIntegerField(_("term number"))
    started_on = models.DateField(_("term starts on"))
    ends_on = models.DateField(
        _("term ends on"),
        help_text=_("The last day of the term. An early election brings it forward."),
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"), help_text=_("How many people the body has in this term.")
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = community_scope("body__organisation__")

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["body", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"],
                name="term_number_unique_in_body",
                violation_error_message=_("This body already has a term of this number."),
            ),
            models.CheckConstraint(
                name="term_ends_after_start",
                condition=Q(ends_on__gte=F("started_on")),
                violation_error_message=_("A term cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="term_has_seats",
                condition=Q(seats__gte=1) & Q(number__gte=1),
                violation_error_message=_("A term has a number and at least one seat."),
            ),
            NoOverlap(
                name="term_no_overlap_in_body",
                fields=["body"],
                start="started_on",
                end="ends_on",
                bounds="[]",
                violation_error_message=_(
                    "Terms of one body cannot overlap: another term of this body covers "
                    "some of these dates."
                ),
            ),
        ]

    def __str__(self):
        return _("Term %(number)s") % {"number": self.number}

    @property
    def label(self):
        return _("Term %(number)s of %(body)s") % {
            "number": self.number,
            "body": self.body.get_kind_display(),
        }

    def clean(self):
        errors = {}
        if self.body_id and not self.body.is_elected:
            errors["body"] = _(
                "The residents' meeting is every household: it has no terms or members."
            )
        if self.started_on and self.ends_on and self.ends_on < self.started_on:
            errors["ends_on"] = _("A term cannot end before it starts.")
        if self.body_id and self.number and self.started_on:
            siblings = Term.objects.filter(body_id=self.body_id).exclude(pk=self.pk)
            if siblings.filter(number__lt=self.number, started_on__gte=self.started_on).exists():
                errors["number"] = _("A later term starts after the terms before it.")
            elif siblings.filter(number__gt=self.number, started_on__lte=self.started_on).exists():
                errors["number"] = _("An earlier term starts before the terms after it.")
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    CONVENER = "convener", _("Convener")
    REPRESENTATIVE = "representative", _("Representative")
    LEADER = "leader", _("Group leader")
    DEPUTY = "deputy", _("Deputy group leader")
    MEMBER = "member", _("Group member")


ROLES_OF = {
    Body.Kind.COUNCIL: (Role.CONVENER, Role.REPRESENTATIVE),
    Body.Kind.GROUP: (Role.LEADER, Role.DEPUTY, Role.MEMBER),
}
SINGLE_ROLES = (Role.CONVENER, Role.LEADER)  # one at a time in a body


def role_rank():
    """Orders members as a roll call does: convener, representatives; leader, deputies,
    members."""
    return Case(
        *[When(role=role, then=Value(rank)) for rank, role in enumerate(Role.values)],
        output_field=IntegerField(),
    )


class EndReason(models.TextChoices):
    TERM_ENDED = "term_ended", _("Term ended")
    RESIGNED = "resigned", _("Resigned")
    MOVED_AWAY = "moved_away", _("Moved away")
    RECALLED = "recalled", _("Recalled")
    DECEASED = "deceased", _("Deceased")
    DISSOLVED = "dissolved", _("Organisation dissolved")


# Reasons a person records by hand; the others are written by elections, recalls and
# dissolutions.
MANUAL_END_REASONS = (EndReason.RESIGNED, EndReason.MOVED_AWAY, EndReason.DECEASED)


class MembershipQuerySet(ScopedQuerySet):
    def serving_on(self, day):
        """Memberships in which the person serves on `day`."""
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )

    def current(self):
        return self.serving_on(timezone.localdate())

    def representatives(self):
        """Members of representatives' councils (the convener is a representative too)."""
        return self.filter(body__kind=Body.Kind.COUNCIL)

    def group_members(self):
        """Members of self-management groups (leader and deputies included)."""
        return self.filter(body__kind=Body.Kind.GROUP)

    def in_roll_order(self):
        return self.annotate(role_rank=role_rank()).order_by("role_rank", "person__name", "pk")


class Membership(models.Model):
    """A person in a role on a body, in one term. Ended with a date and a reason, never
    deleted. `body` repeats `term.body` so that the database can hold the rule "one role
    per person per body at a time"."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("body")
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("term")
    )
    person = models.ForeignKey(
        "councils.Person",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    started_on = models.DateField(_("serving from"))
    ended_on = models.DateField(
        _("left on"),
        null=True,
        blank=True,
        help_text=_("The first day the person no longer serves. Empty while serving."),
    )
    end_reason = models.CharField(
        _("reason for leaving"), max_length=16, choices=EndReason.choices, blank=True
    )
    election = models.ForeignKey(
        "councils.Election",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("elected in"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()
    scope_lookups = community_scope("body__organisation__")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "-started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "person"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_role_per_person_per_body",
                violation_error_message=_("This person already holds a role in this body."),
            ),
            models.UniqueConstraint(
                fields=["body", "role"],
                condition=Q(ended_on__isnull=True, role__in=SINGLE_ROLES),
                name="membership_one_convener_or_leader_per_body",
                violation_error_message=_(
                    "This body already has a convener or leader serving: end that membership first."
                ),
            ),
            models.CheckConstraint(
                name="membership_end_has_reason",
                condition=Q(ended_on__isnull=True, end_reason="")
                | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                violation_error_message=_("A membership that ended needs a date and a reason."),
            ),
            models.CheckConstraint(
                name="membership_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            NoOverlap(
                name="membership_no_overlap_per_person",
                fields=["body", "person"],
                start="started_on",
                end="ended_on",
                violation_error_message=_(
                    "This person already held a role in this body during these dates."
                ),
            ),
            NoOverlap(
                # A body has one such role: the council a convener, the group a leader.
                name="membership_no_overlap_per_single_role",
                fields=["body"],
                start="started_on",
                end="ended_on",
                condition=Q(role__in=SINGLE_ROLES),
                violation_error_message=_(
                    "Another person was convener or leader of this body during these dates."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["body", "ended_on"]),
            models.Index(fields=["person", "ended_on"]),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_role_display()}"

    def is_serving_on(self, day):
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)

    @property
    def is_serving(self):
        return self.is_serving_on(timezone.localdate())

    def clean(self):
        errors = {
            **self._term_errors(),
            **self._role_errors(),
            **self._ending_errors(),
            **self._residence_errors(),
        }
        if errors:
            raise ValidationError(errors)

    def _term_errors(self):
        """The term belongs to the body (which it gives when none is set) and holds the
        start day."""
        errors = {}
        term = self.term if self.term_id else None
        if term is None:
            return errors
        if self.body_id and self.body_id != term.body_id:
            errors["term"] = _("The term belongs to another body.")
        elif not self.body_id:
            self.body = term.body
        if self.started_on and not term.started_on <= self.started_on <= term.ends_on:
            errors["started_on"] = _(
                "A membership starts within its term (%(start)s to %(end)s)."
            ) % {"start": term.started_on, "end": term.ends_on}
        return errors

    def _role_errors(self):
        if self.body_id and self.role and self.role not in ROLES_OF.get(self.body.kind, ()):
            return {
                "role": _("This role does not exist in the %(body)s.")
                % {"body": self.body.get_kind_display()}
            }
        return {}

    def _ending_errors(self):
        errors = {}
        if self.ended_on and not self.end_reason:
            errors["end_reason"] = _("Say why the membership ended.")
        if self.end_reason and not self.ended_on:
            errors["ended_on"] = _("Enter the day the person left.")
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("A membership cannot end before it starts.")
        if self.ended_on and self.ended_on > timezone.localdate():
            errors["ended_on"] = _("This date lies in the future.")
        return errors

    def _residence_errors(self):
        if (
            self._state.adding  # someone who served and moved away keeps their record
            and self.person_id
            and self.body_id
            and self.person.courtyard.community_id != self.body.organisation.community_id
        ):
            return {"person": _("People serve in organisations of the community they live in.")}
        return {}
