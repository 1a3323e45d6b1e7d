"""What a signed-in member reads (internal consultations, internal notes, confidential
documents, the workspace) is kept by no cache, shared or in the browser: a response to a member
that does not say otherwise is marked ``private, no-store`` (with Django's never-cache headers).
Public pages read anonymously keep their own caching (consultations/cache.py)."""

from django.utils.cache import add_never_cache_headers


class PrivateMemberResponsesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
