from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from courtyards.models import Community, District, Street
from notices.sources import source_choices
from notices.workbooks import validate_workbook, workbook_path
from portal.access import ScopedQuerySet, scope_of
from portal.roles import Level


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The district sees its own notices and its streets'; a street what it issued and
        what was sent to it or to its communities; a community what was sent to it. Drafts
        only to the unit writing them."""
        scope = scope_of(user)
        if scope.is_everything:
            return self
        if scope.level == Level.DISTRICT:
            return self.filter(district=scope.pk).filter(
                Q(issued_at__isnull=False) | Q(street__isnull=True)
            )
        sent_to = Recipient.objects.filter(notice=OuterRef("pk"), notice__issued_at__isnull=False)
        if scope.level == Level.STREET:
            reached = sent_to.filter(Q(street=scope.pk) | Q(community__street=scope.pk))
            return self.filter(Q(street=scope.pk) | Exists(reached))
        if scope.level == Level.COMMUNITY:
            return self.filter(Exists(sent_to.filter(community=scope.pk)))
        return self.none()


class Notice(models.Model):
    """通知: a notice the district or a street sends to the units below it, each of which
    acknowledges it (签收). Written as a draft, then issued: from then on its text is fixed
    and each unit has its recipient row."""

    class Audience(models.TextChoices):
        STREETS = "streets", _("The district's streets")
        COMMUNITIES = "communities", _("The communities")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="notices", verbose_name=_("district")
    )
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("issued by the street"),
        help_text=_("Empty when the district issues it."),
    )
    audience = models.CharField(_("sent to"), max_length=16, choices=Audience.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    reply_by = models.DateField(_("to be acknowledged by"), null=True, blank=True)
    returns_by = models.DateField(
        _("return due by"),
        null=True,
        blank=True,
        help_text=_("The day the units' returns are due. Empty: the notice asks for no return."),
    )
    template = models.FileField(
        _("return template"),
        upload_to=workbook_path,
        validators=[validate_workbook],
        max_length=200,
        blank=True,
        help_text=_("Optional: a spreadsheet the units download, fill in and upload back."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    history = HistoricalRecords()

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="a_street_notifies_its_communities",
                condition=Q(street__isnull=True) | Q(audience="communities"),
                violation_error_message=_("A street sends notices to its communities."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notices:detail", args=[self.pk])

    @property
    def issuer(self):
        return self.street or self.district

    @property
    def is_issued(self):
        return self.issued_at is not None

    @property
    def asks_for_return(self):
        return self.returns_by is not None


def receiving_unit(user):
    """The recipient field and unit id of the user's own unit, ("street", pk) or
    ("community", pk): the units that acknowledge. None for anyone else."""
    scope = scope_of(user)
    if scope.level in (Level.STREET, Level.COMMUNITY):
        return str(scope.level), scope.pk
    return None


class RecipientQuerySet(models.QuerySet):
    def of_users_unit(self, user):
        """The rows of the user's own unit (a street's, not its communities')."""
        unit = receiving_unit(user)
        return self.filter(**{unit[0]: unit[1]}) if unit else self.none()


class Recipient(models.Model):
    """One unit a notice was sent to, and its acknowledgement."""

    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="recipients", verbose_name=_("notice")
    )
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("street")
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("community")
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    history = HistoricalRecords()

    objects = RecipientQuerySet.as_manager()
    scope_lookups = {
        "district": ("street__district", "community__street__district"),
        "street": ("street", "community__street"),
        "community": "community",
    }

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["street__code", "community__street__code", "community__name", "pk"]
        constraints = [
            models.CheckConstraint(
                name="a_recipient_is_a_street_or_a_community",
                condition=Q(street__isnull=True, community__isnull=False)
                | Q(street__isnull=False, community__isnull=True),
                violation_error_message=_("A notice goes to a street or to a community."),
            ),
            models.UniqueConstraint(fields=["notice", "street"], name="once_per_street"),
            models.UniqueConstraint(fields=["notice", "community"], name="once_per_community"),
        ]

    def __str__(self):
        return f"{self.notice} · {self.unit}"

    @property
    def unit(self):
        return self.street or self.community

    def is_for(self, user):
        unit = receiving_unit(user)
        return unit is not None and getattr(self, f"{unit[0]}_id") == unit[1]

    @property
    def answer_or_none(self):
        try:
            return self.answer
        except ObjectDoesNotExist:
            return None

    def return_is_late(self, today=None):
        """The return answered after the day it was due, or not yet and that day has
        passed."""
        returns_by = self.notice.returns_by
        if returns_by is None:
            return False
        answer = self.answer_or_none
        if answer is not None:
            return timezone.localdate(answer.submitted_at) > returns_by
        return (today or timezone.localdate()) > returns_by

    def is_late(self, today=None):
        """Acknowledged after the day asked, or not yet and that day has passed."""
        reply_by = self.notice.reply_by
        if reply_by is None:
            return False
        if self.acknowledged_at is not None:
            return timezone.localdate(self.acknowledged_at) > reply_by
        return (today or timezone.localdate()) > reply_by


class ReturnFieldQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(notice__in=Notice.objects.visible_to(user))


class ReturnField(models.Model):
    """One field of the return a notice asks for (报表): fixed once the notice is issued. A
    field with a `source` is filled in from the records (notices/sources.py)."""

    class Kind(models.TextChoices):
        NUMBER = "number", pgettext_lazy("return field", "Number")
        TEXT = "text", pgettext_lazy("return field", "Text")
        DATE = "date", pgettext_lazy("return field", "Date")
        CHOICE = "choice", pgettext_lazy("return field", "One of a list")

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="fields", verbose_name=_("notice")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    label = models.CharField(_("field label"), max_length=100)
    kind = models.CharField(_("kind of field"), max_length=8, choices=Kind.choices)
    choices = models.TextField(
        _("the choices"), blank=True, help_text=_("For a list: one choice a line.")
    )
    required = models.BooleanField(_("must be filled in"), default=True)
    source = models.CharField(
        _("filled in from the records"),
        max_length=32,
        blank=True,
        choices=source_choices(),
        help_text=_("Optional: the figure the portal holds that fills this field in."),
    )
    history = HistoricalRecords()

    objects = ReturnFieldQuerySet.as_manager()  # a draft's fields: as its notice

    class Meta:
        verbose_name = _("return field")
        verbose_name_plural = _("return fields")
        ordering = ["notice", "position", "pk"]

    def __str__(self):
        return self.label

    @property
    def options(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        if self.kind == self.Kind.CHOICE and not self.options:
            raise ValidationError({"choices": _("Give the choices, one a line.")})
        if self.source and self.kind != self.Kind.NUMBER:
            raise ValidationError(
                {"source": _("A field filled in from the records is a number field.")}
            )


class Answer(models.Model):
    """A unit's return (its answer to the notice's fields), one per recipient. The values
    are a JSON object keyed by field id, each value as text; history keeps every version.
    `prefilled` holds, for the fields filled in from the records, the figure computed when
    the answer was saved: a value differing from it was changed by the unit (已改动)."""

    recipient = models.OneToOneField(
        Recipient, on_delete=models.PROTECT, related_name="answer", verbose_name=_("recipient")
    )
    values = models.JSONField(_("values"), default=dict, blank=True)
    prefilled = models.JSONField(_("figures from the records"), default=dict, blank=True)
    file = models.FileField(
        _("filled-in template"),
        upload_to=workbook_path,
        validators=[validate_workbook],
        max_length=200,
        blank=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    history = HistoricalRecords()

    # A unit sees its own answer; a street also its communities'; the district all of them.
    objects = ScopedQuerySet.as_manager()
    scope_lookups = {
        "district": ("recipient__street__district", "recipient__community__street__district"),
        "street": ("recipient__street", "recipient__community__street"),
        "community": "recipient__community",
    }

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["pk"]

    def __str__(self):
        return str(self.recipient)

    def is_late(self):
        returns_by = self.recipient.notice.returns_by
        return returns_by is not None and timezone.localdate(self.submitted_at) > returns_by

    def changed(self, field_id):
        """Whether the unit reported another figure than the records gave."""
        key = str(field_id)
        return key in self.prefilled and self.values.get(key) != self.prefilled[key]
