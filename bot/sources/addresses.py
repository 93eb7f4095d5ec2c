"""Which network addresses sources may be fetched from: public ones, unless allowed.

A source URL that resolves to (or a connection that lands on) a loopback, private,
link-local, reserved, multicast or unspecified address is refused by default, so that a
feed, a redirect or a discovered link cannot make the bot read the operator's own network.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: resolves (host, port) to the addresses a connection may use.
Resolver = Callable[[str, int], Awaitable[list[str]]]
ALLOW_SETTING = "BRIEFBOT_ALLOW_PRIVATE_SOURCES"


class AddressRefusedError(Exception):
    """An address the policy refuses; the message is one line naming it and the setting."""


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, looked up off the event loop (getaddrinfo).

    Raises:
        socket.gaierror: the name does not resolve.
    """
    loop = asyncio.get_running_loop()
    found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in found))


def kind_of(address: IpAddress) -> str | None:
    """What makes ``address`` non-public ("a loopback address"), ``None`` for a public one."""
    address = _unmapped(address)
    for kind, matches in (
        ("an unspecified", address.is_unspecified),
        ("a loopback", address.is_loopback),
        ("a link-local", address.is_link_local),
        ("a multicast", address.is_multicast),
        ("a reserved", address.is_reserved),
        ("a private", address.is_private),
        ("a non-public", not address.is_global),
    ):
        if matches:
            return f"{kind} address"
    return None


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Refuses non-public addresses unless ``allow_private``; ``exempt`` networks pass.

    Attributes:
        allow_private: every address passes (``BRIEFBOT_ALLOW_PRIVATE_SOURCES=true``).
        exempt: networks that pass although non-public (one host the operator trusts).
        resolver: how host names are resolved before connecting.
    """

    allow_private: bool = False
    exempt: tuple[IpNetwork, ...] = ()
    resolver: Resolver = field(default=system_resolver, compare=False)

    @classmethod
    def exempting(
        cls, networks: Iterable[str], resolver: Resolver = system_resolver
    ) -> AddressPolicy:
        """A refusing policy that lets ``networks`` (``"127.0.0.1/32"``) through."""
        return cls(False, tuple(ipaddress.ip_network(n) for n in networks), resolver)

    async def check_host(self, host: str, port: int) -> None:
        """Refuse ``host`` if it is, or resolves to, any refused address.

        Raises:
            AddressRefusedError: one of its addresses is refused.
            socket.gaierror: the name does not resolve.
        """
        if self.allow_private:
            return
        literal = _literal(host)
        if literal is not None:
            self._check(literal, f"{literal} is")
            return
        for text in await self.resolver(host, port):
            address = _literal(text)
            if address is None:
                raise AddressRefusedError(f"refused: {host} resolves to {text!r}, not an address")
            self._check(address, f"{host} resolves to {_unmapped(address)},")

    def check_peer(self, peer: object) -> None:
        """Refuse the address a connection reached (a socket's ``(host, port, ...)``).

        Raises:
            AddressRefusedError: the address is refused, or unknown.
        """
        if self.allow_private:
            return
        text = peer[0] if isinstance(peer, tuple) and peer else None
        address = _literal(str(text)) if text is not None else None
        if address is None:
            raise AddressRefusedError("refused: the connected address is unknown")
        self._check(address, f"connected to {_unmapped(address)},")

    def _check(self, address: IpAddress, subject: str) -> None:
        kind = kind_of(address)
        if kind is None or any(_unmapped(address) in network for network in self.exempt):
            return
        raise AddressRefusedError(
            f"refused: {subject} {kind}; set {ALLOW_SETTING}=true to allow it"
        )


def _literal(host: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").partition("%")[0])
    except ValueError:
        return None


def _unmapped(address: IpAddress) -> IpAddress:
    """An IPv4-mapped IPv6 address (``::ffff:10.0.0.5``) as the IPv4 address it carries."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
