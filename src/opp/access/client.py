"""The client address used for sign-in limits, behind a reverse proxy or not.

The address in `X-Forwarded-For` is believed only when the connection comes from a
proxy the operator declared (`OPP_TRUSTED_PROXIES`: addresses or networks, comma
separated, e.g. `127.0.0.1, 10.0.0.0/8`); otherwise anyone could choose their own
address. The header is read from right to left, skipping trusted proxies: the first
address that is not one of them is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from opp import settings
from opp.errors import OppError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOCAL = "127.0.0.1"  # Streamlit reports no address for local connections


def parse_trusted(value: str | None) -> list[Network]:
    """The declared proxies; a clear OppError naming the bad entry."""
    networks: list[Network] = []
    for item in (value or "").replace(";", ",").split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise OppError("TRUSTED_PROXIES_INVALID", value=item[:60]) from None
    return networks


def trusted_proxies() -> list[Network]:
    return parse_trusted(settings.setting("OPP_TRUSTED_PROXIES"))


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, nets: Sequence[Network]
) -> bool:
    return any(address in net for net in nets)


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The client's address from the connection's peer and the proxy header."""
    peer_ip = _ip(peer or LOCAL)
    if peer_ip is None:
        return (peer or LOCAL)[:64]
    if not forwarded_for or not _trusted(peer_ip, trusted):
        return str(peer_ip)
    current = peer_ip
    for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
        hop_ip = _ip(hop)
        if hop_ip is None:
            break  # garbage in the header: stop at the last address we can vouch for
        current = hop_ip
        if not _trusted(hop_ip, trusted):
            break
    return str(current)
