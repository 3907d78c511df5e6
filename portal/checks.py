"""System checks of the portal's own settings (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def proxy_count_check(app_configs, **kwargs):
    """Behind a proxy with PROXY_COUNT=0 every client has the proxy's address: one person's
    wrong passwords would lock everyone out (portal/lockout.py)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and settings.PROXY_COUNT <= 0:
        return [
            Warning(
                "BEHIND_PROXY is set but PROXY_COUNT is 0: login lockouts and the security "
                "log would see the proxy's address for every client.",
                hint="Set PROXY_COUNT to the number of reverse proxies in front of the portal.",
                id="portal.W001",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """Without a shared cache each worker keeps its own figures and its own versions of what
    changed: a save served by one worker is not seen by the others (portal/scope_cache.py)."""
    if not settings.REDIS_URL and settings.FIGURES_CACHE_SECONDS > 0:
        return [
            Warning(
                "REDIS_URL is not set: each worker would keep its own figures and could show "
                "them for up to FIGURES_CACHE_SECONDS after a save served by another worker.",
                hint="Set REDIS_URL to the Redis every worker shares, or FIGURES_CACHE_SECONDS=0.",
                id="portal.W002",
            )
        ]
    return []
