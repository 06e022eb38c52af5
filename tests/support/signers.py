"""A throwaway signing certificate and pyHanko signing, for the tests of signed copies."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore


@dataclass(frozen=True)
class Signer:
    """A self-signed certificate (its own root) and its key."""

    name: str
    cert_pem: bytes
    signer: signers.SimpleSigner


def throwaway_signer(name: str = "Nguyễn Thị Hồng Nhung") -> Signer:
    """A new RSA key and a self-signed certificate for *name*, valid for a day."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Chi bộ thử nghiệm")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    der_cert = cert.public_bytes(serialization.Encoding.DER)
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    asn1_cert = asn1_x509.Certificate.load(der_cert)
    signer = signers.SimpleSigner(signing_cert=asn1_cert,
                                  signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
                                  cert_registry=SimpleCertificateStore.from_certs([asn1_cert]))
    return Signer(name, cert.public_bytes(serialization.Encoding.PEM), signer)


def sign(pdf: bytes, signer: Signer, field: str = "ChuKy1") -> bytes:
    """*pdf* signed by *signer* in an incremental update (as the VGCA Sign Service and Adobe do)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name=field), signer=signer.signer)
    return out.getvalue()
