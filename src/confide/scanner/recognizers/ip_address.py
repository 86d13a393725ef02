"""IPv4 and IPv6 addresses, validated with the standard library's ``ipaddress``."""

from __future__ import annotations

import ipaddress

from confide.scanner.context import folded_set
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import register


@register
class IpAddressRecognizer(Recognizer):
    name = "ip_address"
    entity = Entity.IP_ADDRESS
    patterns = (
        Pattern("ipv4", r"\b[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\b"),
        Pattern("ipv6", r"(?:[0-9A-Fa-f]{1,4}:|::)[0-9A-Fa-f:]{2,38}[0-9A-Fa-f]"),
    )
    context = folded_set(
        [
            "ip",
            "address",
            "adresse",
            "client",
            "from",
            "host",
            "connexion",
            "login",
            "connecte",
            "connected",
        ]
    )
    negative_context = folded_set(["version", "v", "build", "release"])

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return None
        if address.is_unspecified:
            return None
        if address.version == 6 and value.count(":") < 2:
            return None
        return 0.6
