"""The address the sign-in throttle counts (config/client_address.py)."""

import pytest
from django.test import RequestFactory

from config.client_address import client_address


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        # no proxy trusted: the header is the visitor's own words, ignored
        (0, "198.51.100.7", "10.0.0.1"),
        (0, None, "10.0.0.1"),
        # one proxy: the address it appended, the right-most
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "192.0.2.99, 198.51.100.7", "198.51.100.7"),
        (1, " 198.51.100.7 ", "198.51.100.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        # two proxies: the address the outer one appended
        (2, "192.0.2.99, 198.51.100.7, 10.0.0.5", "198.51.100.7"),
        # a request that did not pass through the proxies, or a garbled entry
        (1, None, "10.0.0.1"),
        (2, "198.51.100.7", "10.0.0.1"),
        (1, "192.0.2.99, not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_it_reads_the_address_no_further_left_than_the_proxies_wrote(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXIES = proxies
    assert client_address(request_from("10.0.0.1", forwarded)) == expected
