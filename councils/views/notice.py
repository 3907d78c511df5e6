"""The printable notice (公示) of a published meeting's decisions, for the courtyard's notice
board: most residents of old courtyards read the board, not a phone. It carries a QR code
of the meeting's public page, and only what that page shows (no names, no personal data)."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from councils.models import Coverage, Meeting
from councils.views.common import crumbs
from portal.access import get_visible_or_404


def qr_svg(url):
    """The QR code of `url` as inline SVG, drawn on the server (no script, no image file).
    Error correction M survives a creased or weathered sheet on the board."""
    # segno writes the markup itself from the modules: nothing of `url` is in it unescaped.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, border=4, svgclass="qr"))


@login_required
@permission_required("councils.view_meeting", raise_exception=True)
def meeting_notice(request, pk):
    """The A4 notice of a published meeting. A draft has nothing to post yet: its reader
    may see the draft anyway, so instead of a 404 (which reads as a broken link) they are
    sent back to the meeting with a message saying to publish it first."""
    meeting = get_visible_or_404(
        Meeting.objects.select_related("organisation__community__street__district"),
        request.user,
        pk=pk,
    )
    if not meeting.is_published:
        messages.warning(
            request,
            _("The notice is printed once the decisions are published: publish the meeting first."),
        )
        return redirect(meeting)
    organisation = meeting.organisation
    courtyards = (
        Coverage.objects.on(meeting.held_on)
        .filter(organisation=organisation)
        .order_by("courtyard__name")
        .values_list("courtyard__name", flat=True)
    )
    public_url = request.build_absolute_uri(reverse("councils:public_meeting", args=[meeting.pk]))
    # The period as recorded when the meeting was published (the district's notice days
    # then, docs/rules.md): a later change of the rules does not rewrite a posted notice.
    notice_days = (meeting.notice_ends_on - meeting.published_on).days + 1
    names = "、".join(courtyards) or organisation.name
    if meeting.is_consultation:
        title = _("Notice of the outcome of the %(kind)s of %(courtyards)s")
    else:
        title = _("Notice of the decisions of the %(kind)s of %(courtyards)s")
    return render(
        request,
        "councils/meeting_notice.html",
        {
            **crumbs(organisation),
            "title": title % {"kind": meeting.get_kind_display(), "courtyards": names},
            "meeting": meeting,
            "motions": meeting.motions.order_by("number"),
            "notice_days": notice_days,
            "public_url": public_url,
            "qr": qr_svg(public_url),
        },
    )
