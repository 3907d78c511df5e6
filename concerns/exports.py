"""The concern register as a workbook (portal.excel): exactly the rows the page filtered.
The resident's phone is masked for users who may not see personal data."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concerns.models import Status
from portal.access import mask_phone, may_see_personal_data
from portal.excel import DATE, Column, Sheet


class ConcernRegisterSheet(Sheet):
    title = _("Concern register")
    title_columns = 2
    columns = [
        Column(_("No."), 6),
        Column(_("tracking number"), 18),
        Column(_("received at"), 12, DATE),
        Column(_("Street"), 12),
        Column(_("Community"), 12),
        Column(_("courtyard"), 14),
        Column(_("resident's name"), 10),
        Column(_("resident's phone"), 14),
        Column(_("channel"), 10),
        Column(_("category"), 10),
        Column(_("what the resident raised"), 36),
        Column(_("routing class"), 14),
        Column(_("Status"), 10),
        Column(_("answer due"), 12, DATE),
        Column(_("Overdue"), 8),
        Column(_("satisfaction"), 10),
    ]

    def __init__(self, concerns, totals, user):
        self.concerns = concerns
        self.figures = totals
        self.full_phones = may_see_personal_data(user)

    def rows(self):
        statuses = dict(Status.choices)
        for number, concern in enumerate(self.concerns.iterator(chunk_size=2000), start=1):
            phone = concern.resident_phone
            yield [
                number,
                concern.number,
                timezone.localtime(concern.received_at).date(),
                concern.community.street.name,
                concern.community.name,
                concern.courtyard.name if concern.courtyard else "",
                _("Anonymous") if concern.anonymous else concern.resident_name,
                phone if self.full_phones else mask_phone(phone),
                concern.get_channel_display(),
                concern.get_category_display(),
                concern.text,
                concern.get_routing_display() if concern.routing else "",
                str(statuses[concern.status_value]),
                concern.answer_due,
                _("Yes") if concern.overdue_value else "",
                concern.get_satisfaction_display(),
            ]

    def notes(self):
        return [register_summary(self.figures)]


def register_summary(totals):
    return (
        _(
            "%(received)s concerns, of which %(answered)s answered, %(resolved)s resolved, "
            "%(overdue)s overdue or answered late, %(dissatisfied)s dissatisfied."
        )
        % totals
    )
