"""System checks of the deployment (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks

LOCAL_MEMORY_CACHE = "django.core.cache.backends.locmem.LocMemCache"


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Public pages are cached and retired on every edit (consultations/cache.py): in a cache
    of one process, the other processes keep serving a page an edit retired, an internal
    consultation included, for up to an hour."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend != LOCAL_MEMORY_CACHE:
        return []
    return [
        checks.Warning(
            "The cache is local to each process (CACHE_URL unset or locmem://).",
            hint=(
                "Under gunicorn with several workers, or several servers, set CACHE_URL to a "
                "shared cache (redis://127.0.0.1:6379/0): otherwise a public page retired by "
                "an edit in one process is still served by the others for up to an hour."
            ),
            id="vigie.W001",
        )
    ]
