"""Writing, issuing and acknowledging notices. A notice is written as a draft by the
district or a street, issued once (its text is then fixed and each unit below gets its
recipient row), and acknowledged once by each unit."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from courtyards.models import Community, Street
from notices.models import Answer, Notice, Recipient, ReturnField
from notices.sources import figure, number_text

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
    if notice.returns_by and notice.returns_by < timezone.localdate():
        raise ValidationError(
            {"returns_by": _("The day the return is due has passed: choose a later day.")}
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


# Returns (报表)


def _field_errors(number, field):
    try:
        field.full_clean(exclude=["notice"])
    except ValidationError as error:
        return [
            _("Field %(number)s: %(message)s") % {"number": number, "message": message}
            for message in error.messages
        ]
    return []


@transaction.atomic
def return_write(notice, *, by, returns_by, fields, template=None, drop_template=False):
    """Set the return a draft asks for: the day it is due, its fields in order (dicts of
    label, kind, choices, required, source; they replace the draft's fields) and optionally
    a template. No day and no field and no template: the notice asks for no return."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.is_issued:
        raise ValidationError(_("An issued notice cannot be changed."))
    new = [ReturnField(notice=notice, position=n, **f) for n, f in enumerate(fields, start=1)]
    errors = [message for n, f in enumerate(new, start=1) for message in _field_errors(n, f)]
    has_template = template is not None or (bool(notice.template) and not drop_template)
    if returns_by is None and (new or has_template):
        errors.append(_("Give the day the return is due."))
    if returns_by is not None and not (new or has_template):
        errors.append(_("A return needs at least one field or a template to fill in."))
    if returns_by is not None and returns_by < timezone.localdate():
        errors.append(_("The day the return is due has passed: choose a later day."))
    if errors:
        raise ValidationError(errors)
    notice.fields.all().delete()
    bulk_create_with_history(new, ReturnField, default_user=by)
    notice.returns_by = returns_by
    if template is not None:
        notice.template = template
    elif drop_template:
        notice.template = None
    notice.save()
    return notice


def prefill(recipient, fields=None):
    """{field id (text): figure} of the notice's fields (or of `fields`) filled in from the
    records, for the recipient's unit, computed now: one query a figure."""
    notice = recipient.notice
    return {
        str(field.pk): figure(field.source, recipient.unit, notice)
        for field in (notice.fields.all() if fields is None else fields)
        if field.source
    }


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, Decimal | int):
        return number_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


@transaction.atomic
def answer_save(recipient, *, by, values, file=None):
    """A unit's return, or its correction (kept in history, with the time corrected).
    `values`: {field id: cleaned value}. The figures from the records are computed again and
    kept beside the values, so a changed one shows as changed."""
    recipient = Recipient.objects.select_for_update().select_related("notice").get(pk=recipient.pk)
    notice = recipient.notice
    if not (notice.is_issued and notice.asks_for_return):
        raise ValidationError(_("This notice asks for no return."))
    answer = Answer.objects.filter(recipient=recipient).first()
    if answer is None:
        answer = Answer(recipient=recipient, submitted_at=timezone.now(), submitted_by=by)
    else:
        answer.corrected_at = timezone.now()
    if notice.template and not notice.fields.exists() and file is None and not answer.file:
        raise ValidationError({"file": _("Upload the filled-in template.")})
    answer.values = {str(key): _as_text(value) for key, value in values.items()}
    answer.prefilled = prefill(recipient)
    if file is not None:
        answer.file = file
    answer._history_user = by
    answer.save()
    return answer
