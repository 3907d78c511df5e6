"""Residents' concerns (民情诉求): what a resident raised, where it went, when it had to be
answered, and how it ended. Status and lateness are read from the record (`with_status`),
never stored."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from courtyards.models import Community, Courtyard, District
from portal.access import ScopedQuerySet, scope_of
from portal.roles import Level
from portal.uploads import upload_path, validate_attachment


def _user_fk(label, related_name="+", **kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=label,
        **kwargs,
    )


class CalendarDayQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The calendar is the whole country's: everyone with a scope reads all of it."""
        return self if scope_of(user).level != Level.NONE else self.none()


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule: a public holiday on a weekday, or a
    make-up working day (调休上班) on a weekend. Kept by the district's administrators,
    who add next year's days when the State Council publishes them (docs/concerns.md)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)
    history = HistoricalRecords()

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}".strip()


class ResponseDeadlines(models.Model):
    """The district's "123" commitment: working days to answer a concern of each class."""

    district = models.OneToOneField(
        District,
        on_delete=models.PROTECT,
        related_name="concern_deadlines",
        verbose_name=_("district"),
    )
    street_days = models.PositiveSmallIntegerField(_("the street's own duties (days)"), default=1)
    department_days = models.PositiveSmallIntegerField(_("one department (days)"), default=2)
    departments_days = models.PositiveSmallIntegerField(_("several departments (days)"), default=3)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {
        "district": "district",
        "street": "district__streets",
        "community": "district__streets__communities",
    }

    class Meta:
        verbose_name = _("response deadlines")
        verbose_name_plural = _("response deadlines")

    def __str__(self):
        return str(self.district)

    def days_for(self, routing):
        by_class = {1: self.street_days, 2: self.department_days, 3: self.departments_days}
        return by_class[int(routing)]


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    CLASSIFIED = "classified", _("Classified")
    ANSWERED = "answered", _("Answered")
    RESOLVED = "resolved", _("Resolved")
    VISITED = "visited", _("Return visit made")


class ConcernQuerySet(ScopedQuerySet):
    def with_status(self, today=None):
        """Annotates `status_value` and `overdue_value` (not answered and past the deadline,
        or answered after it), computed from the record every time."""
        today = today or timezone.localdate()
        status = Case(
            When(visited_at__isnull=False, then=Value(Status.VISITED.value)),
            When(resolved_at__isnull=False, then=Value(Status.RESOLVED.value)),
            When(answered_at__isnull=False, then=Value(Status.ANSWERED.value)),
            When(routing__isnull=False, then=Value(Status.CLASSIFIED.value)),
            default=Value(Status.RECEIVED.value),
        )
        return self.annotate(
            status_value=status,
            overdue_value=Case(When(overdue_q(today), then=Value(True)), default=Value(False)),
        )

    def open(self):
        return self.filter(resolved_at__isnull=True)


def overdue_q(today):
    """Late: not answered and the deadline has passed, or answered after the deadline."""
    return Q(answered_at__isnull=True, answer_due__lt=today) | Q(
        answered_on__gt=models.F("answer_due")
    )


class Concern(models.Model):
    class Channel(models.TextChoices):
        STATION = "station", _("Listening station")
        HOME_VISIT = "home_visit", _("Home visit")
        PHONE = "phone", _("Telephone")
        BOX = "box", _("Suggestion box")
        COUNCIL = "council", _("Courtyard council")
        ONLINE = "online", _("Online")

    class Category(models.TextChoices):
        SANITATION = "sanitation", _("Sanitation")
        REPAIRS = "repairs", _("Repairs to facilities")
        SAFETY = "safety", _("Safety hazard")
        NEIGHBOURS = "neighbours", _("Dispute between neighbours")
        PARKING = "parking", _("Parking management")
        POLICY = "policy", _("Policy question")
        OTHER = "other", _("Other")

    class Routing(models.IntegerChoices):
        STREET = 1, _("The street's own duties")
        DEPARTMENT = 2, _("One functional department")
        DEPARTMENTS = 3, _("Several departments")

    class Level(models.TextChoices):
        COMMUNITY = "community", _("Community")
        STREET = "street", _("Street")
        DISTRICT = "district", _("District")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    number = models.CharField(_("tracking number"), max_length=40, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    resident_name = models.CharField(_("resident's name"), max_length=50, blank=True)
    resident_phone = models.CharField(_("resident's phone"), max_length=30, blank=True)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="concerns", verbose_name=_("community")
    )
    courtyard = models.ForeignKey(
        Courtyard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("courtyard"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    text = models.TextField(_("what the resident raised"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    received_by = _user_fk(_("received by"))
    routing = models.PositiveSmallIntegerField(
        _("routing class"), choices=Routing.choices, null=True, blank=True
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default="community")
    answer_due = models.DateField(_("answer due"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True, editable=False)
    answered_by = _user_fk(_("answered by"), null=True, blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = _user_fk(_("resolved by"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    visited_at = models.DateTimeField(_("return visit at"), null=True, blank=True)
    visited_by = _user_fk(_("return visit by"), null=True, blank=True)
    # What settles it (issue 21): the council's motion it was put to, the inspection's
    # rectification or the fund project that resolves it; set by concerns.services.concern_link.
    motion = models.ForeignKey(
        "councils.Motion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("council motion"),
    )
    rectification = models.ForeignKey(
        "inspections.Rectification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("rectification"),
    )
    project = models.ForeignKey(
        "funds.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("fund project"),
    )
    history = HistoricalRecords()

    objects = ConcernQuerySet.as_manager()
    scope_lookups = {
        "district": "community__street__district",
        "street": "community__street",
        "community": "community",
    }
    personal_fields = ("resident_phone",)

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-received_at", "-pk"]
        permissions = [
            ("escalate_concern", _("Can escalate a concern")),
            ("handover_concern", _("Can hand concerns over to the next duty officer")),
            ("import_concern", _("Can import a street's register of concerns")),
        ]
        indexes = [
            models.Index(fields=["community", "received_at"]),
            models.Index(fields=["received_at", "id"]),  # the register's order, newest first
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("concerns:detail", args=[self.pk])

    def clean(self):
        if self.courtyard_id and self.courtyard.community_id != self.community_id:
            raise ValidationError(
                {"courtyard": _("The courtyard must belong to the chosen community.")}
            )
        if not self.anonymous and not self.resident_name:
            raise ValidationError(
                {"resident_name": _("Give the resident's name, or mark the concern anonymous.")}
            )

    @property
    def status(self):
        if self.visited_at:
            return Status.VISITED
        if self.resolved_at:
            return Status.RESOLVED
        if self.answered_at:
            return Status.ANSWERED
        if self.routing:
            return Status.CLASSIFIED
        return Status.RECEIVED

    @property
    def is_open(self):
        return self.resolved_at is None

    @property
    def working_days_to_answer(self):
        """Working days from the day received to the day answered (None until answered)."""
        from concerns.workdays import working_days_between

        if not self.answered_on:
            return None
        return working_days_between(timezone.localdate(self.received_at), self.answered_on)

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        if self.answered_on:
            return self.answered_on > self.answer_due
        return today > self.answer_due


class ConcernEvent(models.Model):
    """One line of a concern's timeline: who did what, when."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        CLASSIFIED = "classified", _("Classified")
        HANDED_OVER = "handed_over", _("Handed over")
        ESCALATED = "escalated", _("Escalated")
        ANSWERED = "answered", _("Answered")
        RESOLVED = "resolved", _("Resolved")
        RETURN_VISIT = "return_visit", _("Return visit")
        NOTE = "note", _("Note")
        LINKED = "linked", _("Linked")
        PHOTOS = "photos", _("Photos added")

    concern = models.ForeignKey(
        Concern, on_delete=models.PROTECT, related_name="events", verbose_name=_("concern")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = _user_fk(_("by"))
    text = models.TextField(_("text"), blank=True)
    from_officer = _user_fk(_("handed over by"), null=True, blank=True)
    to_officer = _user_fk(_("handed over to"), null=True, blank=True)
    duty_day = models.DateField(_("duty day handed over"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {
        "district": "concern__community__street__district",
        "street": "concern__community__street",
        "community": "concern__community",
    }

    class Meta:
        verbose_name = _("concern event")
        verbose_name_plural = _("concern events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.concern} {self.get_kind_display()}"


class ConcernPhoto(models.Model):
    """A photo of what the resident raised (or a scanned page, as PDF), checked by its bytes
    (portal/uploads.py). Photos can identify a resident: served only to users who may see the
    concern (concerns.views.concern.concern_photo), never on the public page nor in the
    register's export."""

    concern = models.ForeignKey(
        Concern, on_delete=models.PROTECT, related_name="photos", verbose_name=_("concern")
    )
    file = models.FileField(
        _("file"), upload_to=upload_path, validators=[validate_attachment], max_length=200
    )
    name = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    uploaded_by = _user_fk(_("uploaded by"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {
        "district": "concern__community__street__district",
        "street": "concern__community__street",
        "community": "concern__community",
    }

    class Meta:
        verbose_name = _("concern photo")
        verbose_name_plural = _("concern photos")
        ordering = ["concern", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("concerns:photo", args=[self.pk])

    @property
    def is_image(self):
        """Stored under the extension its bytes declare (portal.uploads.upload_path)."""
        return not self.file.name.lower().endswith(".pdf")


class DutyRoster(models.Model):
    """Who of the community's committee is on duty on a day (社情民意每日随访调处)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="duty_days", verbose_name=_("community")
    )
    date = models.DateField(_("date"))
    officer = _user_fk(_("duty officer"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {
        "district": "community__street__district",
        "street": "community__street",
        "community": "community",
    }

    class Meta:
        verbose_name = _("duty roster day")
        verbose_name_plural = _("duty roster")
        ordering = ["community", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "date"],
                name="duty_roster_one_officer_a_day",
                violation_error_message=_("This community already has a duty officer that day."),
            )
        ]

    def __str__(self):
        return f"{self.community} {self.date.isoformat()}"

    def clean(self):
        from portal.models import RoleAssignment
        from portal.roles import Role

        if (
            self.officer_id
            and not RoleAssignment.objects.filter(
                user_id=self.officer_id, role=Role.COMMUNITY_MEMBER, community_id=self.community_id
            ).exists()
        ):
            raise ValidationError(
                {"officer": _("The duty officer must be a member of this community's committee.")}
            )
