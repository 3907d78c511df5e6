"""Elections of the council and the group: a general election opens a new term, a
by-election (补选) fills vacancies in the current one. Recording one creates the
memberships of those elected (councils.services.election_record)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.models.organisations import Body, community_scope
from councils.models.terms import Role, Term
from portal.access import ScopedQuerySet


class Election(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("General election (new term)")
        BY_ELECTION = "by_election", _("By-election (fills vacancies)")

    class Method(models.TextChoices):
        OPEN_NOMINATION = "open", _("Open nomination (海选)")
        HOUSEHOLDS = "households", _("By household representatives")
        REPRESENTATIVES = "representatives", _("By residents' representatives")

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="elections", verbose_name=_("body")
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="elections", verbose_name=_("term")
    )
    kind = models.CharField(_("kind of election"), max_length=16, choices=Kind.choices)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    held_on = models.DateField(_("held on"))
    eligible_voters = models.PositiveIntegerField(_("eligible voters"))
    votes_cast = models.PositiveIntegerField(_("votes cast"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = community_scope("body__organisation__")

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="election_votes_within_voters",
                condition=Q(votes_cast__lte=F("eligible_voters")),
                violation_error_message=_("Votes cast cannot exceed the eligible voters."),
            ),
            models.CheckConstraint(
                name="election_turnout_over_half",
                condition=Q(eligible_voters__lt=F("votes_cast") * 2),
                violation_error_message=_(
                    "An election is valid only when more than half of the eligible voters vote."
                ),
            ),
            models.UniqueConstraint(
                fields=["term"],
                condition=Q(kind="general"),
                name="election_one_general_election_per_term",
                violation_error_message=_("This term already has its general election."),
            ),
        ]

    def __str__(self):
        return _("%(body)s %(kind)s on %(date)s") % {
            "body": self.body.get_kind_display(),
            "kind": self.get_kind_display(),
            "date": self.held_on.isoformat(),
        }

    def get_absolute_url(self):
        return reverse("councils:election", args=[self.pk])

    def clean(self):
        errors = {}
        if self.votes_cast is not None and self.eligible_voters is not None:
            if self.votes_cast > self.eligible_voters:
                errors["votes_cast"] = _("Votes cast cannot exceed the eligible voters.")
            elif self.votes_cast * 2 <= self.eligible_voters:
                errors["votes_cast"] = _(
                    "An election is valid only when more than half of the eligible voters vote."
                )
        if self.held_on and self.held_on > timezone.localdate():
            errors["held_on"] = _("This date lies in the future.")
        if self.body_id and not self.body.is_elected:
            errors["body"] = _("Only the council and the group are elected.")
        if self.term_id and self.body_id and self.term.body_id != self.body_id:
            errors["term"] = _("The term belongs to another body.")
        if errors:
            raise ValidationError(errors)


class Candidate(models.Model):
    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("election")
    )
    person = models.ForeignKey(
        "councils.Person",
        on_delete=models.PROTECT,
        related_name="candidacies",
        verbose_name=_("candidate"),
    )
    votes = models.PositiveIntegerField(_("votes received"))
    elected = models.BooleanField(_("elected"), default=False)
    role = models.CharField(_("role if elected"), max_length=16, choices=Role.choices, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = community_scope("election__body__organisation__")

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["election", "-elected", "-votes", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"],
                name="candidate_once_per_election",
                violation_error_message=_("This person is already a candidate."),
            ),
            models.CheckConstraint(
                name="candidate_elected_has_role",
                condition=Q(elected=True) & ~Q(role="") | Q(elected=False, role=""),
                violation_error_message=_("Give the role of each elected candidate only."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.votes})"

    def clean(self):
        if (
            self._state.adding
            and self.person_id
            and self.election_id
            and self.person.courtyard.community_id != self.election.body.organisation.community_id
        ):
            raise ValidationError(
                {"person": _("Candidates live in the community of the organisation.")}
            )
