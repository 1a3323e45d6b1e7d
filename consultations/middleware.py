"""What a signed-in member reads (internal consultations, internal notes, confidential
documents, the workspace) is kept by no cache, shared or in the browser: a response to a member
that does not say otherwise is marked ``private, no-store`` (with Django's never-cache headers).
Public pages read anonymously keep their own caching (consultations/cache.py)."""

from django.utils.cache import add_never_cache_headers
from django.utils.functional import empty


class PrivateMemberResponsesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _member_read(request) and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


def _member_read(request) -> bool:
    """A signed-in user whom the view or its template looked at. A response made without
    looking at the user holds nothing of a member's, and checking would cost it the session's
    and the user's queries (AuthenticationMiddleware loads the user lazily)."""
    user = getattr(request, "user", None)
    return getattr(user, "_wrapped", empty) is not empty and user.is_authenticated
