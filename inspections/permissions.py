"""What a user may do with a record they can see (visibility itself is `visible_to`).

Pages ask these before showing a button or accepting a form; a record outside the user's
view answers 404 before any of them is asked."""

from inspections.models import Rectification, is_district_user


def may_manage_campaign(user, campaign):
    return user.has_perm("inspections.change_campaign") and is_district_user(user)


def may_record_visit(user, campaign):
    """Visits of the campaign's targets (those the user sees) may be recorded."""
    return user.has_perm("inspections.add_inspection") and campaign.is_under_way


def may_edit_visit(user, inspection):
    campaign = inspection.assignment.campaign
    if not user.has_perm("inspections.change_inspection") or campaign.is_planned:
        return False
    return campaign.is_under_way or is_district_user(user)


def may_add_problem(user, inspection):
    return (
        user.has_perm("inspections.add_rectification")
        and not inspection.assignment.campaign.is_closed
    )


def may_add_photo(user, inspection):
    return user.has_perm("inspections.add_inspectionphoto") and may_edit_visit(user, inspection)


def may_report(user, rectification):
    return user.has_perm("inspections.add_progressnote") and rectification.status in (
        Rectification.LATE_STATUSES
    )


def may_verify(user, rectification):
    return (
        user.has_perm("inspections.verify_rectification")
        and rectification.status == Rectification.Status.DONE
    )


def may_write_bulletin(user):
    return user.has_perm("inspections.add_bulletin") and is_district_user(user)


def may_publish_bulletin(user, bulletin):
    return (
        user.has_perm("inspections.publish_bulletin")
        and is_district_user(user)
        and not bulletin.is_published
    )
