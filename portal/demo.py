"""Shared pieces of the demo data: each app's `demo.build(demo)` adds its part."""

import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.services import assign_role

DEMO_PASSWORD = "demo-portal-2026"


@dataclass
class Demo:
    rng: random.Random
    logins: list = field(default_factory=list)
    found: dict = field(default_factory=dict)  # what one app's builder leaves for the next

    def login(self, username, *, last_name, first_name, role=None, unit=None, superuser=False):
        """A demo account with the shared demo password, created or reset."""
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.last_name, user.first_name = last_name, first_name
        user.is_superuser = user.is_staff = superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        if role:
            assign_role(user=user, role=role, unit=unit)
        self.logins.append((username, role.label if role else _("System administrator"), unit))
        return user
