"""Counting a page's queries once the figures kept per community (portal/kept.py) are up to
date: what a visit costs on most days, rather than the visit that computes them."""

from django.core.cache import caches


def settle(client, url, params=None):
    """Visit once, so that the kept figures the page reads are computed and stored; then
    empty the caches above them, so that the next visit adds the kept rows up again."""
    client.get(url, params or {})
    for cache in caches.all():
        cache.clear()
