"""The migration to district rules carries each district's public-notice period over, with
its history: a district keeps the period it set."""

import datetime

from django.utils import timezone

BEFORE = [("councils", "0005_listed_order_indexes")]
AFTER = [("councils", "0006_district_rules_and_consultations")]


def test_a_districts_notice_period_becomes_its_rules_with_its_history(migrate_to):
    old = migrate_to(BEFORE)
    district = old.get_model("courtyards", "District").objects.create(name="武侯区")
    period = old.get_model("councils", "NoticePeriod").objects.create(district=district, days=10)
    when = timezone.make_aware(datetime.datetime(2025, 3, 1, 9))
    old.get_model("councils", "HistoricalNoticePeriod").objects.create(
        id=period.pk, district=district, days=10, history_date=when, history_type="+"
    )
    new = migrate_to(AFTER)
    rules = new.get_model("councils", "DistrictRules").objects.get(district_id=district.pk)
    assert rules.notice_days == 10
    assert rules.term_years == 5 and rules.households_per_representative_min is None
    history = new.get_model("councils", "HistoricalDistrictRules").objects.get()
    assert (history.id, history.notice_days, history.history_date) == (rules.pk, 10, when)
