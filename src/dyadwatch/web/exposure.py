"""Who can reach the server: the bind address, the host names it answers to, and whether reading needs a token.

On a loopback address only this machine can connect, and the server answers only to loopback host names (so a
web page whose own name was re-pointed at 127.0.0.1, DNS rebinding, cannot read the documents through the
analyst's browser). Any other address exposes every document to whoever can reach it, so it needs either a read
token (every page and API route then asks for it) or an explicit decision to publish (`public`), and a list of
the host names clients will use.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from dyadwatch.errors import DyadwatchError, Errors

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "[::]", "")
# A read token guards every document on an open port, where anyone may try tokens as fast as the server answers.
MIN_READ_TOKEN = 16


@dataclass(frozen=True)
class Exposure:
    host: str
    allowed_hosts: tuple[str, ...]  # Host header names answered; the rest get 400
    read_token: str | None  # None: reading is open
    warnings: tuple[str, ...] = ()  # what the operator should know before serving (the CLI prints them)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)


def plan_exposure(host: str = "127.0.0.1", read_token: str | None = None, public: bool = False,
                  allowed_hosts: Sequence[str] = ()) -> Exposure:
    """How a server bound to `host` is exposed, or DyadwatchError when the combination would be unsafe."""
    token = read_token or None
    if token is not None and len(token) < MIN_READ_TOKEN:
        raise DyadwatchError(Errors.E023, minimum=MIN_READ_TOKEN)
    names = tuple(dict.fromkeys(name.strip().lower() for name in allowed_hosts if name.strip()))
    if is_loopback(host):
        return Exposure(host, (*LOOPBACK_HOSTS, *names), token)
    if token is None and not public:
        raise DyadwatchError(Errors.E022, host=host)
    own = () if host in WILDCARD_ADDRESSES else (_host_name(host),)
    if not names and not own:
        raise DyadwatchError(Errors.E024, host=host)
    warnings = []
    if token is None:
        warnings.append(f"serving every document to anyone who can reach {host} (--public, no read token)")
    elif public:
        warnings.append("--public is ignored: a read token is set, so every page and API route asks for it")
    return Exposure(host, tuple(dict.fromkeys((*names, *own, *LOOPBACK_HOSTS))), token, tuple(warnings))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_allowed(header: str, allowed: Sequence[str]) -> bool:
    """Whether a Host header (name and optional port) names an allowed host; `*.example.org` allows subdomains."""
    name = _without_port(header.strip().lower())
    return any(name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:])) for pattern in allowed)


def _host_name(address: str) -> str:
    """An IP address as it appears in a Host header (IPv6 in brackets)."""
    try:
        return f"[{address.strip('[]')}]" if ipaddress.ip_address(address.strip("[]")).version == 6 else address
    except ValueError:
        return address.lower()


def _without_port(header: str) -> str:
    if header.startswith("["):
        return header[: header.find("]") + 1]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header
