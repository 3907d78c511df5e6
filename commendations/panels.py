"""What commendations add to shared pages (portal.navigation): the honours of a street, a
community, a courtyard's organisation and its people, on their pages; an organisation's
and a person's allowances; and, for residents, the honoured units (never a person) on the
public community and courtyard pages. One or two queries each, whatever the data."""

from django.db.models import Q

from commendations.models import UNIT_KINDS, Allowance, Kind, Nomination
from councils.models import Coverage
from funds.formatting import mask_name
from portal.access import may_see_personal_data

LATEST_FIRST = ("-category__round__decided_on", "category__round", "category", "pk")


def _honours(lookup):
    return list(Nomination.objects.honoured().filter(lookup).with_names().order_by(*LATEST_FIRST))


def _internal(request, lookup, heading):
    if not request.user.has_perm("commendations.view_round"):
        return None
    honours = _honours(lookup)
    if not honours:
        return None
    return {"template": "commendations/panels/honours.html", "honours": honours, "heading": heading}


def street_panel(request, street):
    lookup = (
        Q(nominee_street=street)
        | Q(community__street=street)
        | Q(organisation__community__street=street)
        | Q(person__courtyard__community__street=street)
        | Q(category__kind=Kind.WORKER, street=street)
    )
    return _internal(request, lookup, "street")


def community_panel(request, community):
    lookup = (
        Q(community=community)
        | Q(organisation__community=community)
        | Q(person__courtyard__community=community)
    )
    return _internal(request, lookup, "community")


def _covering(courtyard):
    return Coverage.objects.filter(courtyard=courtyard).values("organisation")


def courtyard_panel(request, courtyard):
    lookup = Q(organisation__in=_covering(courtyard)) | Q(person__courtyard=courtyard)
    return _internal(request, lookup, "courtyard")


def _allowances(request, lookup):
    if not request.user.has_perm("commendations.view_allowance"):
        return []
    rows = list(
        Allowance.objects.filter(**lookup)
        .select_related("person", "organisation", "expenditure__project")
        .order_by("-expenditure__spent_on", "-pk")
    )
    full = may_see_personal_data(request.user)
    for row in rows:
        row.person_shown = row.person.name if full else mask_name(row.person.name)
    return rows


def organisation_panel(request, organisation):
    may_add = request.user.has_perm("commendations.add_allowance")
    honours = (
        _honours(Q(organisation=organisation))
        if request.user.has_perm("commendations.view_round")
        else []
    )
    allowances = _allowances(request, {"organisation": organisation})
    if not (honours or allowances or may_add):
        return None
    return {
        "template": "commendations/panels/organisation.html",
        "organisation": organisation,
        "honours": honours,
        "allowances": allowances,
        "may_add": may_add,
    }


def person_panel(request, person):
    honours = (
        _honours(Q(person=person)) if request.user.has_perm("commendations.view_round") else []
    )
    allowances = _allowances(request, {"person": person})
    if not (honours or allowances):
        return None
    return {
        "template": "commendations/panels/person.html",
        "honours": honours,
        "allowances": allowances,
    }


def _public(lookup):
    """Honoured units only: a person's honour never reaches a public page."""
    return [
        {
            "round": n.category.round.title,
            "honour": n.category.get_kind_display(),
            "unit": n.nominee_public_name,
            "decision_number": n.category.round.decision_number,
            "decided_on": n.category.round.decided_on,
        }
        for n in _honours(lookup & Q(category__kind__in=UNIT_KINDS))
    ]


def public_community_panel(request, community):
    honours = _public(Q(community=community) | Q(organisation__community=community))
    if not honours:
        return None
    return {"template": "commendations/panels/public.html", "honours": honours}


def public_panel(request, courtyard):
    """The honours of the organisation covering the courtyard; shown beside what the
    courtyard publishes, never making its page exist by itself."""
    honours = _public(Q(organisation__in=_covering(courtyard).filter(ended_on__isnull=True)))
    if not honours:
        return None
    return {"template": "commendations/panels/public.html", "honours": honours, "publishes": False}
