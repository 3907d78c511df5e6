from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from courtyards.models import District
from portal.access import ScopedQuerySet


class Reminder(models.Model):
    """One thing due or overdue in a user's scope, in their inbox until it is settled: the
    daily run (`manage.py remind`, reminders/services.py) opens it while the thing is due and
    settles it, keeping the row, once it no longer is."""

    class Kind(models.TextChoices):
        TERM_ENDING = "term_ending", _("Term ending: prepare the election")
        COUNCIL_IDLE = "council_idle", _("The council has not met")
        NOTICE_ENDING = "notice_ending", _("Public notice period ending")
        RECTIFICATION_DUE = "rectification_due", _("Rectification due")
        INQUIRY_UNANSWERED = "inquiry_unanswered", _("Inquiry unanswered")
        CONCERN_DUE = "concern_due", _("Residents' concern to answer")
        NOTICE_TO_ACKNOWLEDGE = "notice", _("Notice to acknowledge")
        RETURN_DUE = "return_due", _("Return to fill in")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("record"))
    subject = models.CharField(_("subject"), max_length=300)
    path = models.CharField(_("address"), max_length=300)
    due_on = models.DateField(_("due on"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("sent by e-mail at"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_id"],
                condition=Q(settled_at__isnull=True),
                name="one_open_reminder_per_record",
            )
        ]
        indexes = [models.Index(fields=["user", "settled_at", "read_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.subject}"

    def get_absolute_url(self):
        return reverse("reminders:open", args=[self.pk])

    @property
    def is_overdue(self):
        return self.due_on < timezone.localdate()


def _interval(verbose_name, default, most, help_text):
    return models.PositiveSmallIntegerField(
        verbose_name,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(most)],
        help_text=help_text,
    )


class ReminderIntervals(models.Model):
    """How early the district's users are reminded (提醒设置), set by the district's
    administrator in the back office; a district that has set none has the defaults."""

    district = models.OneToOneField(
        District,
        on_delete=models.PROTECT,
        related_name="reminder_intervals",
        verbose_name=_("district"),
    )
    term_ending_days = _interval(
        _("term ending: days before"),
        60,
        365,
        _("Remind of a term ending this many days before its end, to prepare the election."),
    )
    council_idle_months = _interval(
        _("council not met: months"),
        3,
        24,
        _("Remind of a council that has not met for this many months."),
    )
    notice_period_days = _interval(
        _("public notice ending: days before"),
        3,
        30,
        _("Remind of published minutes this many days before their public notice ends."),
    )
    rectification_days = _interval(
        _("rectification due: days before"),
        7,
        90,
        _("Remind of a rectification this many days before its deadline."),
    )
    return_days = _interval(
        _("return due: days before"),
        3,
        30,
        _("Remind of a return a notice asks for this many days before it is due."),
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {
        "district": "district",
        "street": "district__streets",
        "community": "district__streets__communities",
    }

    class Meta:
        verbose_name = _("reminder intervals")
        verbose_name_plural = _("reminder intervals")

    def __str__(self):
        return str(self.district)
