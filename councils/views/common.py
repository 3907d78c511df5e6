"""What councils views share: the scoped lookups and the context."""

from councils.models import Membership, Organisation
from portal.access import get_visible_or_404, may_see_personal_data


def visible_organisation(request, pk):
    return get_visible_or_404(
        Organisation.objects.select_related("community__street__district"),
        request.user,
        pk=pk,
    )


def visible_membership(request, pk):
    return get_visible_or_404(
        Membership.objects.select_related(
            "person__courtyard", "body__organisation__community__street__district", "term"
        ),
        request.user,
        pk=pk,
    )


def crumbs(organisation):
    """The breadcrumb context of a page below an organisation."""
    community = organisation.community
    return {
        "district": community.street.district,
        "street": community.street,
        "community": community,
        "organisation": organisation,
    }


def personal(request):
    return {"may_see": may_see_personal_data(request.user)}
