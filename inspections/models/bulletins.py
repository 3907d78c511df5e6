"""The district bulletin of a closed campaign."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inspections.models.campaigns import Campaign
from inspections.models.common import _related_or_none
from portal.access import RoleScopedQuerySet


class BulletinQuerySet(RoleScopedQuerySet):
    def published(self):
        return self.filter(status=Bulletin.Status.PUBLISHED)

    def for_inspector(self, user):
        return self.published()

    def for_local(self, user):
        return self.published()


class Bulletin(models.Model):
    """The district bulletin (督查通报) of a closed campaign. While a draft its figures are
    computed from the visits; publishing stores what it says in `snapshot`, from which the
    published page and workbook are rendered ever after."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    campaign = models.OneToOneField(
        Campaign, on_delete=models.PROTECT, related_name="bulletin", verbose_name=_("campaign")
    )
    number = models.CharField(
        _("document number"),
        max_length=50,
        blank=True,
        help_text=_("For example 武民督〔2026〕3号."),
    )
    title = models.CharField(_("title"), max_length=120)
    introduction = models.TextField(_("introduction"), blank=True)
    requirements = models.TextField(
        _("requirements"), blank=True, help_text=_("What streets and communities must do next.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    snapshot = models.JSONField(_("content as published"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = BulletinQuerySet.as_manager()
    scope_lookups = {
        "district": "campaign__district",
        "street": "campaign__district__streets",
        "community": "campaign__district__streets__communities",
    }

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-published_on", "-pk"]
        permissions = [("publish_bulletin", _("Can publish a bulletin"))]
        constraints = [
            models.CheckConstraint(
                name="bulletin_published_is_complete",
                condition=Q(
                    status="published",
                    published_on__isnull=False,
                    published_by__isnull=False,
                    snapshot__isnull=False,
                )
                | Q(
                    status="draft",
                    published_on__isnull=True,
                    published_by__isnull=True,
                    snapshot__isnull=True,
                ),
                violation_error_message=_(
                    "A published bulletin records its date, publisher and content; a draft none."
                ),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("inspections:bulletin", args=[self.pk])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def clean(self):
        if self.pk and Bulletin.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists():
            raise ValidationError(_("A published bulletin cannot be changed."))
        campaign = _related_or_none(self, "campaign")
        if campaign is not None and not campaign.is_closed:
            raise ValidationError({"campaign": _("A bulletin is written for a closed campaign.")})
