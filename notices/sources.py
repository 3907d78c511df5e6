"""Figures the portal already holds, which a return's field may be filled in from: collected
once in the records, reported many times. Each source is computed for one receiving unit (a
community, or a street: summed over its communities) and for the notice's year (the year it
was issued, or this year for a draft).

SOURCES maps a key (stored on `ReturnField.source`) to its label, its definition (shown
beside the prefilled value and in the workbook's sheet of definitions) and the function
computing it. Each function is one query."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concerns.models import Concern
from councils.models import Meeting
from courtyards.models import Community, Courtyard
from funds.models import Expenditure
from funds.selectors import live_allocations


@dataclass(frozen=True)
class FigureSource:
    label: str
    definition: str
    compute: Callable


def notice_year(notice):
    return timezone.localdate(notice.issued_at).year if notice.issued_at else timezone.now().year


def _communities(unit):
    """The communities a unit answers for: itself, or a street's own."""
    if isinstance(unit, Community):
        return Community.objects.filter(pk=unit.pk)
    return Community.objects.filter(street=unit.pk)


def households(unit, notice):
    courtyards = Courtyard.objects.open().filter(community__in=_communities(unit))
    return courtyards.aggregate(total=Coalesce(Sum("households"), 0))["total"]


def courtyards_count(unit, notice):
    return Courtyard.objects.open().filter(community__in=_communities(unit)).count()


def council_meetings(unit, notice):
    meetings = Meeting.objects.filter(
        kind=Meeting.Kind.COUNCIL,
        held_on__year=notice_year(notice),
        organisation__community__in=_communities(unit),
    )
    return meetings.aggregate(total=Count("pk"))["total"]


def fund_allocated(unit, notice):
    allocations = live_allocations(notice_year(notice)).filter(community__in=_communities(unit))
    return allocations.aggregate(total=Sum("amount"))["total"] or 0


def fund_spent(unit, notice):
    spending = Expenditure.objects.filter(
        year=notice_year(notice), community__in=_communities(unit)
    )
    return spending.total() or 0


def concerns_received(unit, notice):
    concerns = Concern.objects.filter(
        received_at__year=notice_year(notice), community__in=_communities(unit)
    )
    return concerns.aggregate(total=Count("pk"))["total"]


SOURCES = {
    "households": FigureSource(
        _("Households in the unit's courtyards"),
        _("The households recorded for the open courtyards of the unit (courtyard register)."),
        households,
    ),
    "courtyards": FigureSource(
        _("Number of courtyards"),
        _("The open courtyards of the unit in the courtyard register."),
        courtyards_count,
    ),
    "council_meetings": FigureSource(
        _("Representatives' council meetings held this year"),
        _(
            "Meetings of the kind representatives' council recorded for the unit's "
            "organisations and held in the notice's year."
        ),
        council_meetings,
    ),
    "fund_allocated": FigureSource(
        _("Special fund allocated this year (yuan)"),
        _(
            "The notice's year's allocations of the special fund to the unit, district and "
            "street money, withdrawn ones left out."
        ),
        fund_allocated,
    ),
    "fund_spent": FigureSource(
        _("Special fund spent this year (yuan)"),
        _("The notice's year's net expenditure of the special fund in the unit."),
        fund_spent,
    ),
    "concerns_received": FigureSource(
        _("Residents' concerns received this year"),
        _("The residents' concerns registered in the unit in the notice's year."),
        concerns_received,
    ),
}


def source_choices():
    return [(key, source.label) for key, source in SOURCES.items()]


def number_text(value):
    """A figure as a return stores it: no exponent, no trailing zeros (1000.00 → "1000")."""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "") else text


def figure(key, unit, notice):
    """The figure `key` for `unit` as the text a return stores."""
    return number_text(SOURCES[key].compute(unit, notice))
