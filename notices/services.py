"""Writing, issuing and acknowledging notices. A notice is written as a draft by the
district or a street, issued once (its text is then fixed and each unit below gets its
recipient row), and acknowledged once by each unit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from courtyards.models import Community, Street
from notices.models import Notice, Recipient

FIELDS = ("audience", "title", "text", "reply_by")


def notice_write(*, by, district, street=None, notice=None, **fields):
    """A new draft (no `notice`) or changes to a draft."""
    if notice is None:
        notice = Notice(district=district, street=street, created_by=by)
    elif notice.is_issued:
        raise ValidationError(_("An issued notice cannot be changed."))
    for name in FIELDS:
        setattr(notice, name, fields[name])
    if street is not None:
        notice.audience = Notice.Audience.COMMUNITIES
    notice.full_clean()
    notice.save()
    return notice


def units_below(notice):
    """The units the notice goes to, as recipient rows' lookups."""
    if notice.audience == Notice.Audience.STREETS:
        return [{"street": s} for s in Street.objects.filter(district=notice.district_id)]
    communities = Community.objects.filter(street__district=notice.district_id)
    if notice.street_id:
        communities = communities.filter(street=notice.street_id)
    return [{"community": c} for c in communities.order_by("street__code", "name")]


@transaction.atomic
def notice_issue(notice, *, by):
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.is_issued:
        raise ValidationError(_("This notice is already issued."))
    if notice.reply_by and notice.reply_by < timezone.localdate():
        raise ValidationError(
            {"reply_by": _("The day to acknowledge by has passed: choose a later day.")}
        )
    units = units_below(notice)
    if not units:
        raise ValidationError(_("There is no unit to send this notice to."))
    notice.issued_at, notice.issued_by = timezone.now(), by
    notice.save()
    bulk_create_with_history(
        [Recipient(notice=notice, **unit) for unit in units], Recipient, default_user=by
    )
    return notice


@transaction.atomic
def notice_acknowledge(recipient, *, by):
    recipient = Recipient.objects.select_for_update().get(pk=recipient.pk)
    if recipient.acknowledged_at is not None:
        raise ValidationError(_("This notice is already acknowledged."))
    recipient.acknowledged_at, recipient.acknowledged_by = timezone.now(), by
    recipient.save()
    return recipient
