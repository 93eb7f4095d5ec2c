"""The address policy: which addresses sources may be fetched from."""

from __future__ import annotations

import ipaddress

import pytest

from bot.sources.addresses import AddressPolicy, AddressRefusedError, kind_of

HINT = "; set BRIEFBOT_ALLOW_PRIVATE_SOURCES=true to allow it"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.8.9.10", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("::ffff:10.0.0.5", "a private address"),
        ("10.0.0.5", "a private address"),
        ("172.16.3.4", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fc00::1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("224.0.0.1", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("240.0.0.1", "a reserved address"),
        ("100.64.0.1", "a non-public address"),
        ("93.184.216.34", None),
        ("2606:2800:220:1:248:1893:25c8:1946", None),
        ("::ffff:93.184.216.34", None),
    ],
)
def test_the_kind_of_an_address(address: str, kind: str | None) -> None:
    assert kind_of(ipaddress.ip_address(address)) == kind


def _resolving_to(*addresses: str) -> AddressPolicy:
    async def resolve(host: str, port: int) -> list[str]:
        return list(addresses)

    return AddressPolicy(resolver=resolve)


async def test_a_name_is_refused_if_any_of_its_addresses_is() -> None:
    policy = _resolving_to("93.184.216.34", "10.0.0.5")
    with pytest.raises(AddressRefusedError) as error:
        await policy.check_host("news.example", 443)
    assert str(error.value) == (
        f"refused: news.example resolves to 10.0.0.5, a private address{HINT}"
    )


async def test_a_public_name_and_a_public_literal_pass() -> None:
    policy = _resolving_to("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")
    await policy.check_host("news.example", 443)
    await policy.check_host("93.184.216.34", 80)
    policy.check_peer(("93.184.216.34", 80))


async def test_literals_are_checked_without_resolving() -> None:
    policy = _resolving_to("93.184.216.34")  # never asked: a literal is its own address
    with pytest.raises(AddressRefusedError, match=r"^refused: 10\.0\.0\.5 is a private"):
        await policy.check_host("10.0.0.5", 80)
    with pytest.raises(AddressRefusedError, match=r"^refused: ::1 is a loopback address"):
        await policy.check_host("::1", 80)


async def test_allowing_private_addresses_lets_everything_through() -> None:
    policy = AddressPolicy(allow_private=True)
    await policy.check_host("10.0.0.5", 80)
    policy.check_peer(("127.0.0.1", 8080))


async def test_exempt_networks_pass_and_others_do_not() -> None:
    policy = AddressPolicy.exempting(["127.0.0.1/32"])
    await policy.check_host("127.0.0.1", 80)
    with pytest.raises(AddressRefusedError, match=r"^refused: 127\.0\.0\.2 is a loopback"):
        await policy.check_host("127.0.0.2", 80)


def test_the_connected_peer_is_checked() -> None:
    policy = AddressPolicy()
    with pytest.raises(AddressRefusedError) as error:
        policy.check_peer(("::ffff:192.168.0.9", 80, 0, 0))
    assert str(error.value) == f"refused: connected to 192.168.0.9, a private address{HINT}"
    with pytest.raises(AddressRefusedError, match=r"^refused: the connected address is unknown"):
        policy.check_peer(None)
