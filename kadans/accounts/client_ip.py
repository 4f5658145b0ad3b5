"""The address a request comes from, as login throttling (django-axes) counts it.

Without a proxy that is the connection's own address. Behind one, every connection comes from the proxy,
so the client's address is read from the header the proxy sets, only when the operator says which one
(KADANS_TRUSTED_PROXY_HEADER): a header nobody overwrites is whatever the client wants it to be.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str:
    """The trusted header's client address when configured and well formed, else REMOTE_ADDR.

    Each of KADANS_TRUSTED_PROXY_COUNT proxies appends the address it was reached from to a list header
    such as X-Forwarded-For, so the client is that many entries from the right; what stands further left
    came from the client itself and is not trusted.
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    header = settings.KADANS_TRUSTED_PROXY_HEADER
    if not header:
        return remote
    value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    addresses = [part.strip() for part in value.split(",") if part.strip()]
    count = max(settings.KADANS_TRUSTED_PROXY_COUNT, 1)
    if len(addresses) < count or not _valid(addresses[-count]):
        return remote
    return addresses[-count]
