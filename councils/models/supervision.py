"""Democratic supervision of the group: yearly evaluation (民主评议), inquiry (质询) and
recall (罢免). The rules are stated here once and in docs/councils.md."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.models.organisations import Organisation, community_scope
from portal.access import ScopedQuerySet


class Result(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


def evaluation_result(satisfied, basically, dissatisfied, evaluators):
    """The evaluation rule. Of the counted evaluators:
    - more than half rate dissatisfied → dissatisfied (a member is flagged for recall);
    - otherwise more than half rate satisfied → satisfied;
    - otherwise → basically satisfied."""
    if dissatisfied * 2 > evaluators:
        return Result.DISSATISFIED
    if satisfied * 2 > evaluators:
        return Result.SATISFIED
    return Result.BASICALLY


def _result_matches(prefix):
    """The evaluation rule as a check constraint over `<prefix>satisfied` etc. and the
    row's `evaluators`."""
    over_half_dissatisfied = Q(evaluators__lt=F(f"{prefix}dissatisfied") * 2)
    over_half_satisfied = Q(evaluators__lt=F(f"{prefix}satisfied") * 2)
    result = f"{prefix}result"
    return (
        Q(**{result: Result.DISSATISFIED}) & over_half_dissatisfied
        | Q(**{result: Result.SATISFIED}) & ~over_half_dissatisfied & over_half_satisfied
        | Q(**{result: Result.BASICALLY}) & ~over_half_dissatisfied & ~over_half_satisfied
    )


class Evaluation(models.Model):
    """The yearly democratic evaluation of an organisation's self-management group: the
    group as a whole on this row, each member in an EvaluationRating."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year evaluated"))
    held_on = models.DateField(_("held on"))
    evaluators = models.PositiveIntegerField(
        _("evaluators counted"), help_text=_("Valid ballots of residents and representatives.")
    )
    group_satisfied = models.PositiveIntegerField(_("group: satisfied"))
    group_basically = models.PositiveIntegerField(_("group: basically satisfied"))
    group_dissatisfied = models.PositiveIntegerField(_("group: dissatisfied"))
    group_result = models.CharField(_("group result"), max_length=16, choices=Result.choices)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = community_scope("organisation__")

    class Meta:
        verbose_name = _("democratic evaluation")
        verbose_name_plural = _("democratic evaluations")
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="evaluation_once_a_year",
                violation_error_message=_("This organisation was already evaluated that year."),
            ),
            models.CheckConstraint(
                name="evaluation_group_votes_within_evaluators",
                condition=Q(
                    evaluators__gte=F("group_satisfied")
                    + F("group_basically")
                    + F("group_dissatisfied")
                )
                & Q(evaluators__gte=1),
                violation_error_message=_(
                    "The ratings cannot add up to more than the evaluators counted."
                ),
            ),
            models.CheckConstraint(
                name="evaluation_group_result_follows_rule",
                condition=_result_matches("group_"),
                violation_error_message=_("The result does not follow the evaluation rule."),
            ),
        ]

    def __str__(self):
        return _("%(organisation)s evaluation %(year)s") % {
            "organisation": self.organisation,
            "year": self.year,
        }

    def get_absolute_url(self):
        return reverse("councils:evaluation", args=[self.pk])

    def compute_results(self):
        self.group_result = evaluation_result(
            self.group_satisfied, self.group_basically, self.group_dissatisfied, self.evaluators
        )

    def clean(self):
        errors = {}
        if self.held_on and self.year and self.held_on.year not in (self.year, self.year + 1):
            errors["held_on"] = _(
                "An evaluation of a year is held in that year or early in the next."
            )
        if self.held_on and self.held_on > timezone.localdate():
            errors["held_on"] = _("This date lies in the future.")
        counts = (self.group_satisfied, self.group_basically, self.group_dissatisfied)
        if None not in counts and self.evaluators is not None and sum(counts) > self.evaluators:
            errors["group_dissatisfied"] = _(
                "The ratings cannot add up to more than the evaluators counted."
            )
        if errors:
            raise ValidationError(errors)


class EvaluationRating(models.Model):
    """One member of the group as the evaluators rated them. `result` follows the same rule
    as the group's; a member rated dissatisfied is flagged for the recall procedure."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("evaluation")
    )
    membership = models.ForeignKey(
        "councils.Membership",
        on_delete=models.PROTECT,
        related_name="ratings",
        verbose_name=_("member"),
    )
    satisfied = models.PositiveIntegerField(_("satisfied"))
    basically = models.PositiveIntegerField(_("basically satisfied"))
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"))
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = community_scope("evaluation__organisation__")

    class Meta:
        verbose_name = _("member rating")
        verbose_name_plural = _("member ratings")
        ordering = ["evaluation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "membership"],
                name="rating_once_per_member",
                violation_error_message=_("This member is already rated in this evaluation."),
            ),
        ]

    def __str__(self):
        return f"{self.membership.person} · {self.get_result_display()}"

    @property
    def flagged_for_recall(self):
        return self.result == Result.DISSATISFIED

    def compute_result(self):
        self.result = evaluation_result(
            self.satisfied, self.basically, self.dissatisfied, self.evaluation.evaluators
        )

    def clean(self):
        errors = {}
        evaluation = self.evaluation
        counts = (self.satisfied, self.basically, self.dissatisfied)
        if None not in counts and sum(counts) > evaluation.evaluators:
            errors["dissatisfied"] = _(
                "The ratings cannot add up to more than the evaluators counted."
            )
        if self.membership_id:
            membership = self.membership
            if membership.body.organisation_id != evaluation.organisation_id:
                errors["membership"] = _("This person serves in another organisation.")
            elif membership.body.kind != "group":
                errors["membership"] = _("The evaluation rates members of the group.")
            elif not membership.is_serving_on(evaluation.held_on):
                errors["membership"] = _(
                    "%(person)s was not serving on the day of the evaluation."
                ) % {"person": membership.person}
        if (
            None not in counts
            and self.result
            and self.result != evaluation_result(*counts, evaluation.evaluators)
        ):
            errors["result"] = _("The result does not follow the evaluation rule.")
        if errors:
            raise ValidationError(errors)


def inquiry_quorum(representatives_serving):
    """The inquiry rule: at least one fifth of the representatives serving (rounded up),
    and at least one, must sign an inquiry."""
    return max(1, -(-representatives_serving // 5))


class Inquiry(models.Model):
    """质询: representatives question the group or one member; the answer, and whether the
    representatives accepted it."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="inquiries",
        verbose_name=_("organisation"),
    )
    raised_on = models.DateField(_("raised on"))
    representatives = models.PositiveSmallIntegerField(
        _("representatives signing"),
        help_text=_("How many representatives signed it."),
        validators=[MinValueValidator(1)],
    )
    target = models.ForeignKey(
        "councils.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("member questioned"),
        help_text=_("Leave empty when the inquiry is addressed to the whole group."),
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.CharField(_("answered by"), max_length=60, blank=True)
    accepted = models.BooleanField(
        _("answer accepted by the representatives"), null=True, blank=True
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = community_scope("organisation__")

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="inquiry_answer_has_date",
                condition=Q(answered_on__isnull=True, answer="")
                | Q(answered_on__isnull=False) & ~Q(answer=""),
                violation_error_message=_("An answer needs its date, and a date its answer."),
            ),
            models.CheckConstraint(
                name="inquiry_accepted_only_when_answered",
                condition=Q(accepted__isnull=True) | Q(answered_on__isnull=False),
                violation_error_message=_(
                    "The representatives accept or reject an answer once it is given."
                ),
            ),
            models.CheckConstraint(
                name="inquiry_answered_after_raised",
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("raised_on")),
                violation_error_message=_("An inquiry is answered after it is raised."),
            ),
            models.CheckConstraint(
                name="inquiry_signed",
                condition=Q(representatives__gte=1),
                violation_error_message=_("At least one representative signs an inquiry."),
            ),
        ]

    def __str__(self):
        return _("Inquiry of %(date)s") % {"date": self.raised_on.isoformat()}

    def get_absolute_url(self):
        return reverse("councils:inquiry", args=[self.pk])

    @property
    def state(self):
        if self.answered_on is None:
            return _("Awaiting answer")
        if self.accepted is None:
            return _("Answered")
        return _("Answer accepted") if self.accepted else _("Answer not accepted")

    def clean(self):
        errors = {}
        today = timezone.localdate()
        for field in ("raised_on", "answered_on"):
            day = getattr(self, field)
            if day and day > today:
                errors[field] = _("This date lies in the future.")
        if self.answered_on and self.raised_on and self.answered_on < self.raised_on:
            errors["answered_on"] = _("An inquiry is answered after it is raised.")
        if self.answer and not self.answered_on:
            errors["answered_on"] = _("Enter the day the answer was given.")
        if self.answered_on and not self.answer:
            errors["answer"] = _("Write down the answer.")
        if self.accepted is not None and not self.answered_on:
            errors["accepted"] = _(
                "The representatives accept or reject an answer once it is given."
            )
        if self.target_id and self.organisation_id:
            target = self.target
            if target.body.organisation_id != self.organisation_id:
                errors["target"] = _("This person serves in another organisation.")
            elif target.body.kind != "group":
                errors["target"] = _("An inquiry questions the group or one of its members.")
            elif self.raised_on and not target.is_serving_on(self.raised_on):
                errors["target"] = _("%(person)s was not serving on the day it was raised.") % {
                    "person": target.person
                }
        if errors:
            raise ValidationError(errors)


class RecallQuerySet(ScopedQuerySet):
    def pending(self):
        return self.filter(outcome=Recall.Outcome.PENDING)


class Recall(models.Model):
    """罢免: a motion to recall one member, then the vote. The recall rule: it passes when
    more than half of all entitled voters vote for it (abstentions and absences count
    against). A passed recall ends the membership the day of the vote."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting the vote")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        LAPSED = "lapsed", _("Lapsed: the member left before the vote")

    class Voters(models.TextChoices):
        RESIDENTS_MEETING = "meeting", _("Residents' meeting")
        COUNCIL = "council", _("Representatives' council")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="recalls",
        verbose_name=_("organisation"),
    )
    membership = models.ForeignKey(
        "councils.Membership",
        on_delete=models.PROTECT,
        related_name="recalls",
        verbose_name=_("member"),
    )
    moved_on = models.DateField(_("motion made on"))
    moved_by = models.CharField(
        _("moved by"), max_length=100, help_text=_("For example 民情代表张桂芳等6人联名.")
    )
    reason = models.TextField(_("grounds for the recall"))
    decided_by = models.CharField(_("voted on by"), max_length=16, choices=Voters.choices)
    voted_on = models.DateField(_("vote held on"), null=True, blank=True)
    entitled_voters = models.PositiveIntegerField(_("entitled voters"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    history = HistoricalRecords()

    objects = RecallQuerySet.as_manager()
    scope_lookups = community_scope("organisation__")

    VOTE_FIELDS = ("voted_on", "entitled_voters", "votes_for", "votes_against", "votes_abstain")

    class Meta:
        verbose_name = _("recall")
        verbose_name_plural = _("recalls")
        ordering = ["-moved_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="recall_vote_complete_or_absent",
                condition=Q(
                    outcome__in=["pending", "lapsed"],
                    voted_on__isnull=True,
                    entitled_voters__isnull=True,
                    votes_for__isnull=True,
                    votes_against__isnull=True,
                    votes_abstain__isnull=True,
                )
                | Q(
                    outcome__in=["passed", "failed"],
                    voted_on__isnull=False,
                    entitled_voters__isnull=False,
                    votes_for__isnull=False,
                    votes_against__isnull=False,
                    votes_abstain__isnull=False,
                ),
                violation_error_message=_("A vote is recorded whole, with its outcome."),
            ),
            models.CheckConstraint(
                name="recall_votes_within_voters",
                condition=Q(entitled_voters__isnull=True)
                | Q(entitled_voters__gte=F("votes_for") + F("votes_against") + F("votes_abstain")),
                violation_error_message=_("Votes cannot exceed the entitled voters."),
            ),
            models.CheckConstraint(
                name="recall_outcome_follows_rule",
                condition=Q(outcome__in=["pending", "lapsed"])
                | Q(outcome="passed", entitled_voters__lt=F("votes_for") * 2)
                | Q(outcome="failed", entitled_voters__gte=F("votes_for") * 2),
                violation_error_message=_(
                    "A recall passes when, and only when, more than half of all entitled "
                    "voters vote for it."
                ),
            ),
            models.CheckConstraint(
                name="recall_voted_after_motion",
                condition=Q(voted_on__isnull=True) | Q(voted_on__gte=F("moved_on")),
                violation_error_message=_("The vote follows the motion."),
            ),
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(outcome="pending"),
                name="recall_one_pending_motion_per_member",
                violation_error_message=_("A recall motion against this member awaits its vote."),
            ),
        ]

    def __str__(self):
        return _("Recall of %(person)s") % {"person": self.membership.person}

    def get_absolute_url(self):
        return reverse("councils:recall", args=[self.pk])

    @property
    def not_voting(self):
        if self.entitled_voters is None:
            return None
        return self.entitled_voters - self.votes_for - self.votes_against - self.votes_abstain

    @staticmethod
    def outcome_of(entitled_voters, votes_for):
        """The recall rule: passed when more than half of all entitled voters vote for."""
        return Recall.Outcome.PASSED if votes_for * 2 > entitled_voters else Recall.Outcome.FAILED

    def _serving(self, membership, day):
        """Serving on `day`, counting the day of a vote that recalled them."""
        recalled_that_day = (
            self.outcome == self.Outcome.PASSED
            and membership.end_reason == "recalled"
            and membership.ended_on == self.voted_on == day
        )
        return membership.is_serving_on(day) or recalled_that_day

    def clean(self):
        errors = {}
        today = timezone.localdate()
        for field in ("moved_on", "voted_on"):
            day = getattr(self, field)
            if day and day > today:
                errors[field] = _("This date lies in the future.")
        if self.voted_on and self.moved_on and self.voted_on < self.moved_on:
            errors["voted_on"] = _("The vote follows the motion.")
        votes = (self.votes_for, self.votes_against, self.votes_abstain)
        if (
            self.entitled_voters is not None
            and None not in votes
            and sum(votes) > self.entitled_voters
        ):
            errors["votes_abstain"] = _("Votes cannot exceed the entitled voters.")
        if self.membership_id:
            membership = self.membership
            if self.organisation_id and membership.body.organisation_id != self.organisation_id:
                errors["membership"] = _("This person serves in another organisation.")
            elif self.moved_on and not self._serving(membership, self.moved_on):
                errors["membership"] = _("%(person)s was not serving on the day of the motion.") % {
                    "person": membership.person
                }
            elif self.voted_on and not self._serving(membership, self.voted_on):
                errors["voted_on"] = _("%(person)s was not serving on the day of the vote.") % {
                    "person": membership.person
                }
        if errors:
            raise ValidationError(errors)
