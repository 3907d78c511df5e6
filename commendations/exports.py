"""The honour roll of a decided round as a workbook (portal.excel), one sheet 表彰名单."""

from django.utils.translation import gettext_lazy as _

from portal.excel import Column, Sheet


class HonourRollSheet(Sheet):
    title = _("Honour roll")
    title_columns = 3
    columns = [
        Column(_("No."), 6),
        Column(_("Honour"), 16),
        Column(_("Honoured unit or person"), 28),
        Column(_("Street"), 14),
        Column(_("Community"), 14),
        Column(_("Nominated by"), 14),
        Column(_("Reason for the nomination"), 48),
    ]

    def __init__(self, round_, honoured):
        self.round = round_
        self.honoured = honoured

    def rows(self):
        for number, nomination in enumerate(self.honoured, start=1):
            community = nomination.nominee_community
            yield [
                number,
                nomination.category.get_kind_display(),
                nomination.nominee_name,
                nomination.nominee_street_name,
                community.name if community else "",
                nomination.nominator_name,
                nomination.reason,
            ]

    def notes(self):
        return [
            _("Decision %(number)s of %(day)s.")
            % {"number": self.round.decision_number, "day": self.round.decided_on.isoformat()}
        ]
