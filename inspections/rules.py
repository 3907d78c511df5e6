"""What a user may do with an inspections record they can see (visibility itself is
`visible_to`, in portal.access). Autodiscovered by django-rules.

Callers ask `user.has_perm("inspections.<rule>", obj)`; a record outside the user's view
answers 404 before any rule is asked. Each rule is a model permission (given by the role's
group) and a condition on the user or on the record's state.

Beware: `user.has_perm` answers True for any active superuser before a rule is asked, and a
record's state binds superusers too (a closed campaign takes no visits, a published
bulletin is not published again). Where a rule tests the record's state, callers ask the
rule itself with `rules.has_perm(name, user, obj)`, which skips that shortcut.
"""

import rules

from inspections.models import Rectification, is_district_user
from portal.access import holds


@rules.predicate
def is_district(user):
    return is_district_user(user)


@rules.predicate
def campaign_under_way(user, campaign):
    return campaign.is_under_way


@rules.predicate
def visit_campaign_planned(user, inspection):
    return inspection.assignment.campaign.is_planned


@rules.predicate
def visit_campaign_under_way(user, inspection):
    return inspection.assignment.campaign.is_under_way


@rules.predicate
def visit_campaign_closed(user, inspection):
    return inspection.assignment.campaign.is_closed


@rules.predicate
def rectification_late(user, rectification):
    """Open or in progress: the responsible community still reports on it."""
    return rectification.status in Rectification.LATE_STATUSES


@rules.predicate
def rectification_done(user, rectification):
    return rectification.status == Rectification.Status.DONE


@rules.predicate
def bulletin_published(user, bulletin):
    return bulletin.is_published


may_create_campaign = holds("inspections.add_campaign") & is_district  # asked without an object
may_manage_campaign = holds("inspections.change_campaign") & is_district
# Forming groups and choosing targets; whether the campaign's state still allows the
# change (not closed; removals only while planned) is the services' check, with a message.
may_plan_campaign = (
    holds("inspections.change_inspectiongroup") & holds("inspections.change_assignment")
) & is_district
# Visits of the campaign's targets (those the user sees) may be recorded.
may_record_visit = holds("inspections.add_inspection") & campaign_under_way
# Once closed, only district staff correct a visit; a planned campaign has none.
may_edit_visit = (
    holds("inspections.change_inspection")
    & ~visit_campaign_planned
    & (visit_campaign_under_way | is_district)
)
may_add_problem = holds("inspections.add_rectification") & ~visit_campaign_closed
may_add_photo = holds("inspections.add_inspectionphoto") & may_edit_visit
may_report = holds("inspections.add_progressnote") & rectification_late
may_verify = holds("inspections.verify_rectification") & rectification_done
may_write_bulletin = holds("inspections.add_bulletin") & is_district  # asked without an object
may_publish_bulletin = holds("inspections.publish_bulletin") & is_district & ~bulletin_published

# The names differ from the model permissions' codenames (publish_bulletin,
# verify_rectification): a rule named like one would ask itself again.
rules.add_perm("inspections.create_campaign", may_create_campaign)
rules.add_perm("inspections.manage_campaign", may_manage_campaign)
rules.add_perm("inspections.plan_campaign", may_plan_campaign)
rules.add_perm("inspections.record_visit", may_record_visit)
rules.add_perm("inspections.edit_visit", may_edit_visit)
rules.add_perm("inspections.add_problem", may_add_problem)
rules.add_perm("inspections.add_photo", may_add_photo)
rules.add_perm("inspections.report_progress", may_report)
rules.add_perm("inspections.verify", may_verify)
rules.add_perm("inspections.write_bulletin", may_write_bulletin)
rules.add_perm("inspections.publish_draft", may_publish_bulletin)
