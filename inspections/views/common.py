from django.utils import timezone
from django.utils.translation import gettext as _


def dated_filename(label):
    return _("%(label)s %(date)s.xlsx") % {"label": label, "date": timezone.localdate().isoformat()}
