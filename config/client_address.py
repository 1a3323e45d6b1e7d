"""The address a request came from, as the sign-in throttle (django-axes) counts failures by it.

Behind a reverse proxy (nginx, a load balancer), every request reaches Django from the proxy's
own address: counted by ``REMOTE_ADDR``, five wrong passwords typed by anyone would lock the
sign-in page for everybody. Each proxy appends the address it received the request from to
``X-Forwarded-For`` (nginx: ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``),
so with ``TRUSTED_PROXIES`` proxies in front of Vigie the visitor's address is the
``TRUSTED_PROXIES``-th from the right. Anything further left was written by the visitor and
is never believed. With no proxy (the default, 0) the header is ignored: a visitor could
otherwise name any address and never be throttled.
"""

from ipaddress import ip_address

from django.conf import settings


def client_address(request) -> str | None:
    """The visitor's address: ``REMOTE_ADDR``, or the address the outermost trusted proxy
    received the request from. A header with fewer addresses than trusted proxies (a request
    that did not come through them), or an entry that is not an address, falls back to
    ``REMOTE_ADDR``."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
