from portal.access import assignment_of, may_read_annual_report, may_use_back_office
from portal.models import person_name
from portal.navigation import header_links_for, nav_items_for


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    assignment = assignment_of(user)
    return {
        "nav_items": nav_items_for(user),
        "role_assignment": assignment,
        "header_links": header_links_for(assignment),
        "may_read_annual_report": may_read_annual_report(user),
        # the Administration link and every link into the admin ask this, never a role
        "may_use_back_office": may_use_back_office(user),
        "user_display_name": person_name(user),
    }
