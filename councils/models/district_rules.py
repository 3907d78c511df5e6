"""The rules a district sets for its courtyard self-governance (docs/rules.md): one
`DistrictRules` row per district, edited by district administrators in the admin, with
history. `rules_for(district)` reads them, and gives the defaults when the district has no
row. Each default is the seed's or the law's value, its source written beside it.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import ScopedQuerySet

# 《中华人民共和国城市居民委员会组织法》（2018年修正）第八条：“居民委员会每届任期五年”;
# seed 002: representatives serve “任期与居委会相同”.
DEFAULT_TERM_YEARS = 5
# 组织法第十条：居民会议“必须有……户的代表……的过半数出席，才能举行。
# 会议的决定，由出席人的过半数通过”.
DEFAULT_QUORUM_PERCENT = 50
DEFAULT_ADOPTION_PERCENT = 50
# No seed or law sets the public-notice period: the portal's choice, kept from before.
DEFAULT_NOTICE_DAYS = 7


class DistrictRules(models.Model):
    """What a district decides for its courtyards; every field has a default that applies
    when the district has not set it."""

    district = models.OneToOneField(
        "courtyards.District",
        on_delete=models.PROTECT,
        related_name="rules",
        verbose_name=_("district"),
    )
    households_per_representative_min = models.PositiveIntegerField(
        _("households per representative: at least"),
        null=True,
        blank=True,
        help_text=_(
            "Empty (the default): no rule. Seed 002's “每50-200户选举一名居民代表” is for the "
            "community's residents' representatives, not for courtyard councils; set a band "
            "here only as the district's own rule."
        ),
    )
    households_per_representative_max = models.PositiveIntegerField(
        _("households per representative: at most"),
        null=True,
        blank=True,
        help_text=_("Set together with the lower bound, or leave both empty."),
    )
    term_years = models.PositiveSmallIntegerField(
        _("term of the council and the group (years)"),
        default=DEFAULT_TERM_YEARS,
        help_text=_(
            "Default 5: the residents' committee's term (城市居民委员会组织法 2018年修正 第八条："
            "“居民委员会每届任期五年”); seed 002: representatives serve “任期与居委会相同”. "
            "Applies to terms opened after the change."
        ),
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("residents' meeting quorum: more than this share of households (per cent)"),
        default=DEFAULT_QUORUM_PERCENT,
        help_text=_(
            "Default 50, more than half (城市居民委员会组织法 第十条：“必须有……户的代表……的过半数"
            "出席，才能举行”). Applies to residents' meetings recorded after the change."
        ),
    )
    adoption_percent = models.PositiveSmallIntegerField(
        _("residents' meeting adoption: more than this share of households represented (per cent)"),
        default=DEFAULT_ADOPTION_PERCENT,
        help_text=_(
            "Default 50, more than half (城市居民委员会组织法 第十条：“会议的决定，由出席人的过半数"
            "通过”). Applies to residents' meetings recorded after the change."
        ),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("public-notice period (days)"),
        default=DEFAULT_NOTICE_DAYS,
        help_text=_(
            "Days after publication during which residents may object. Default 7: no seed or "
            "law sets it, the district chooses."
        ),
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {
        "district": "district",
        "street": "district__streets",
        "community": "district__streets__communities",
    }

    class Meta:
        verbose_name = _("district rules")
        verbose_name_plural = _("district rules")
        constraints = [
            models.CheckConstraint(
                name="district_rules_band_both_or_neither",
                condition=Q(
                    households_per_representative_min__isnull=True,
                    households_per_representative_max__isnull=True,
                )
                | Q(
                    households_per_representative_min__isnull=False,
                    households_per_representative_max__isnull=False,
                    households_per_representative_min__gte=1,
                    households_per_representative_max__gte=models.F(
                        "households_per_representative_min"
                    ),
                ),
                violation_error_message=_(
                    "Households per representative: give both bounds, the lower at least 1 "
                    "and not above the upper, or leave both empty."
                ),
            ),
            models.CheckConstraint(
                name="district_rules_term_in_range",
                condition=Q(term_years__gte=1, term_years__lte=10),
                violation_error_message=_("A term lasts 1 to 10 years."),
            ),
            models.CheckConstraint(
                name="district_rules_thresholds_in_range",
                condition=Q(quorum_percent__gte=1, quorum_percent__lte=99)
                & Q(adoption_percent__gte=1, adoption_percent__lte=99),
                violation_error_message=_(
                    "Quorum and adoption thresholds lie between 1 and 99 per cent."
                ),
            ),
            models.CheckConstraint(
                name="district_rules_notice_in_range",
                condition=Q(notice_days__gte=1, notice_days__lte=90),
                violation_error_message=_("A public-notice period lasts 1 to 90 days."),
            ),
        ]

    def __str__(self):
        return str(self.district)


@dataclass(frozen=True)
class Rules:
    """The rules in force in one district (its row, or the defaults)."""

    households_per_representative: tuple | None = None  # (min, max), or None: no rule
    term_years: int = DEFAULT_TERM_YEARS
    quorum_percent: int = DEFAULT_QUORUM_PERCENT
    adoption_percent: int = DEFAULT_ADOPTION_PERCENT
    notice_days: int = DEFAULT_NOTICE_DAYS
    set_by_district: bool = False


DEFAULT_RULES = Rules()


def rules_for(district):
    """The rules of `district` (a District or its id): its row, or the defaults."""
    district_id = getattr(district, "pk", district)
    row = DistrictRules.objects.filter(district_id=district_id).first()
    if row is None:
        return DEFAULT_RULES
    low, high = row.households_per_representative_min, row.households_per_representative_max
    return Rules(
        households_per_representative=(low, high) if low is not None else None,
        term_years=row.term_years,
        quorum_percent=row.quorum_percent,
        adoption_percent=row.adoption_percent,
        notice_days=row.notice_days,
        set_by_district=True,
    )


def rules_of(organisation):
    """The rules of the district of `organisation`."""
    return rules_for(organisation.community.street.district_id)


def more_than(count, total, percent):
    """Whether `count` is more than `percent`% of `total` (more than half: 50)."""
    return count * 100 > total * percent
