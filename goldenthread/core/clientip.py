"""The address a request came from: the socket's, or a trusted proxy's ``X-Forwarded-For``.

Behind a reverse proxy (Caddy, nginx, a load balancer) every request comes from the proxy's address,
so without this one person's wrong passwords would lock the real user out everywhere, and twenty wrong
join codes from one phone would block every delegate at the venue. But a header is only as honest as
whoever sent it: a client talking to the app directly can write any ``X-Forwarded-For`` it likes.

So the header is believed only when ``GOLDENTHREAD_TRUSTED_PROXIES`` (comma-separated addresses or
CIDR networks of the proxies in front of the app) is set *and* the request's socket address is one of
them. Then the client is the right-most address in the chain that is not a trusted proxy: each proxy
appends the address it was sent from, so everything to the left of that can be forged and is ignored.
The chain is read by django-ipware (python-ipware's parser and trusted-proxy matching), one trusted hop
at a time. Nothing set (the default): no header is read, the socket address is the client.

:func:`client_ip` is used by the sign-in lock-out (django-axes, ``AXES_CLIENT_IP_CALLABLE``) and the
workshop-code limit (:mod:`goldenthread.workshops.ratelimit`); :func:`resolve` is the same rule for
Daphne's ``--proxy-headers`` (``goldenthread serve``), so websockets and ``REMOTE_ADDR`` agree.
"""
from __future__ import annotations

import ipaddress
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

HEADER = "HTTP_X_FORWARDED_FOR"
#: Proxies in a row worth following (a CDN, then a load balancer, then Caddy is three).
MAX_HOPS = 8


def parse_trusted(value: str) -> list[str]:
    """``GOLDENTHREAD_TRUSTED_PROXIES`` as a list of networks; a wrong entry is a configuration error."""
    entries = [v.strip() for v in (value or "").split(",") if v.strip()]
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"GOLDENTHREAD_TRUSTED_PROXIES: {entry!r} is not an IP address or "
                                       f"CIDR network") from None
    return entries


def _networks() -> list:
    return [ipaddress.ip_network(e, strict=False) for e in getattr(settings, "GOLDENTHREAD_TRUSTED_PROXIES", [])]


def _trusted_network(address: str, networks) -> str | None:
    """The trusted network holding ``address`` (as ipware's proxy-list entry), or None."""
    try:
        ip = ipaddress.ip_address((address or "").strip().strip("[]"))
    except ValueError:
        return None
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    for net in networks:
        if ip.version == net.version and ip in net:
            return str(net)
    return None


def resolve(peer: str, forwarded: str | None) -> str:
    """The client of a request that arrived from socket address ``peer`` with this ``X-Forwarded-For``."""
    from ipware import get_client_ip

    networks = _networks()
    peer = peer or ""
    hop = _trusted_network(peer, networks)
    if hop is None or not forwarded:
        return peer  # not from a trusted proxy: the header is not read
    meta = SimpleNamespace(META={HEADER: f"{forwarded}, {peer}"})
    proxies, client = [hop], peer
    while len(proxies) <= MAX_HOPS:
        # ipware checks that the chain's right-most hops are these proxies, in this order, and returns the one
        # just left of them; if that one is a trusted proxy too, go one hop further left.
        ip, _routable = get_client_ip(meta, proxy_trusted_ips=proxies, request_header_order=[HEADER], strict=False)
        if ip is None:
            break  # the chain ends (or is not a list of addresses): keep the last good hop
        client = ip
        hop = _trusted_network(ip, networks)
        if hop is None:
            break
        proxies.insert(0, hop)
    return client


def client_ip(request, *args, **kwargs) -> str | None:
    """The client address of a Django request (also django-axes' ``AXES_CLIENT_IP_CALLABLE``); None when the
    request has none (a request made in code, e.g. ``force_login``: axes stores it in an address column)."""
    meta = getattr(request, "META", None) or {}
    return resolve(meta.get("REMOTE_ADDR") or "", meta.get(HEADER)) or None


# --- Daphne --------------------------------------------------------------------------------------

def daphne_forwarded(headers, address_header_name="X-Forwarded-For", port_header_name="X-Forwarded-Port",
                     proto_header_name="X-Forwarded-Proto", original_addr=None, original_scheme=None):
    """Daphne's ``parse_x_forwarded_for`` with :func:`resolve`'s rule.

    Daphne's own takes the left-most ``X-Forwarded-For`` entry from anyone who sends one (any client can
    forge it); this believes the headers only from a trusted proxy and takes the right-most untrusted hop.
    """
    from daphne.utils import parse_x_forwarded_for

    peer = original_addr[0] if original_addr else ""
    if not address_header_name or _trusted_network(peer, _networks()) is None:
        return original_addr, original_scheme
    raw = dict(headers.getAllRawHeaders()) if hasattr(headers, "getAllRawHeaders") else dict(headers)
    raw = {name.lower(): values for name, values in raw.items()}
    values = raw.get(address_header_name.lower().encode(), [])
    forwarded = ", ".join(v.decode("latin-1") for v in values) if isinstance(values, list) \
        else values.decode("latin-1")
    client = resolve(peer, forwarded)
    # The scheme (X-Forwarded-Proto) and port come from Daphne's own parser, now that the sender is trusted.
    _addr, scheme = parse_x_forwarded_for(headers, address_header_name, port_header_name, proto_header_name,
                                          original_addr, original_scheme)
    return [client, 0], scheme


def install_daphne_proxy_trust() -> None:
    """Make Daphne's ``--proxy-headers`` (HTTP and websockets) use :func:`daphne_forwarded`."""
    import daphne.http_protocol
    import daphne.ws_protocol

    daphne.http_protocol.parse_x_forwarded_for = daphne_forwarded
    daphne.ws_protocol.parse_x_forwarded_for = daphne_forwarded


def daphne_arguments() -> list[str]:
    """Extra arguments for Daphne: its proxy headers only when trusted proxies are configured."""
    return ["--proxy-headers"] if getattr(settings, "GOLDENTHREAD_TRUSTED_PROXIES", []) else []
