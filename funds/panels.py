"""Sections the special fund adds to shared pages (see portal.navigation)."""


def scope_panel(request, unit):
    return None


def courtyard_panel(request, courtyard):
    return None


def public_panel(request, courtyard):
    return None
