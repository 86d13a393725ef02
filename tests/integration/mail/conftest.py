"""A real SMTP server (aiosmtpd) started in this process for each test, and a TLS certificate."""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from smtp_testserver import Collector, SmtpServer, Tls, free_port


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    """A self-signed certificate for 127.0.0.1 and localhost (the client trusts only it)."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Tls(cert_path, key_path)


def _serve(controller: Controller, collector: Collector, port: int) -> Iterator[SmtpServer]:
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, collector)
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP relay on 127.0.0.1 (no TLS, no login)."""
    collector, port = Collector(), free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    yield from _serve(controller, collector, port)


@pytest.fixture
def starttls_server(tls: Tls) -> Iterator[SmtpServer]:
    """A submission server: STARTTLS required, then AUTH LOGIN/PLAIN required."""
    collector, port = Collector(), free_port()
    controller = Controller(
        collector,
        hostname="127.0.0.1",
        port=port,
        tls_context=tls.server_context(),
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=collector.authenticate,
    )
    yield from _serve(controller, collector, port)


@pytest.fixture
def implicit_tls_server(tls: Tls) -> Iterator[SmtpServer]:
    """SMTP over implicit TLS (as on port 465)."""
    collector, port = Collector(), free_port()
    controller = Controller(
        collector, hostname="127.0.0.1", port=port, ssl_context=tls.server_context()
    )
    yield from _serve(controller, collector, port)
