"""SECURE_PROXY_SSL_HEADER names the header the TLS-terminating proxy sets (kadans.settings)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from kadans.settings import proxy_ssl_header


def test_a_header_name_is_trusted_with_https():
    assert proxy_ssl_header("X-Forwarded-Proto") == ("HTTP_X_FORWARDED_PROTO", "https")


def test_a_header_can_name_its_value():
    assert proxy_ssl_header("X-Forwarded-Ssl=on") == ("HTTP_X_FORWARDED_SSL", "on")


def test_empty_trusts_no_header():
    assert proxy_ssl_header("") is None


@pytest.mark.parametrize("value", ["X Forwarded Proto", "X_Forwarded:Proto"])
def test_a_malformed_header_is_refused(value):
    with pytest.raises(ImproperlyConfigured, match="SECURE_PROXY_SSL_HEADER"):
        proxy_ssl_header(value)
