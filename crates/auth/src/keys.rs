//! Keys and certificates: loading the SP's and IdPs' material and making new SP certificates.

use std::path::Path;

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{BasicConstraints, KeyUsage, SubjectKeyIdentifier};
use openssl::x509::{X509NameBuilder, X509};

use crate::{AuthError, Result};

/// A private key with its certificate, used to sign SAML messages.
#[derive(Clone)]
pub struct SigningKey {
    key: PKey<Private>,
    cert: X509,
}

impl std::fmt::Debug for SigningKey {
    // Never print key material.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("subject", &self.cert.subject_name())
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// From PEM text of a private key (PKCS#1 or PKCS#8) and its certificate.
    pub fn from_pem(key_pem: &[u8], cert_pem: &[u8]) -> Result<SigningKey> {
        let key = PKey::private_key_from_pem(key_pem)
            .map_err(|e| AuthError::Key(format!("private key: {e}")))?;
        let cert =
            X509::from_pem(cert_pem).map_err(|e| AuthError::Key(format!("certificate: {e}")))?;
        if !cert.public_key()?.public_eq(&key) {
            return Err(AuthError::Key(
                "the certificate does not belong to the private key".into(),
            ));
        }
        if key.bits() < 2048 {
            return Err(AuthError::Key(
                "RSA keys must have at least 2048 bits".into(),
            ));
        }
        Ok(SigningKey { key, cert })
    }

    /// From a key file and a certificate file (PEM).
    pub fn from_files(key: &Path, cert: &Path) -> Result<SigningKey> {
        let read = |p: &Path| {
            std::fs::read(p).map_err(|e| AuthError::Key(format!("{}: {e}", p.display())))
        };
        SigningKey::from_pem(&read(key)?, &read(cert)?)
    }

    pub fn private_key(&self) -> &PKey<Private> {
        &self.key
    }

    /// The private key in DER, as xmlsec wants it.
    pub fn private_key_der(&self) -> Result<Vec<u8>> {
        Ok(self.key.private_key_to_der()?)
    }

    pub fn certificate(&self) -> &X509 {
        &self.cert
    }

    /// The certificate as base64 DER, as it appears in `<ds:X509Certificate>`.
    pub fn certificate_base64(&self) -> Result<String> {
        Ok(openssl::base64::encode_block(&self.cert.to_der()?))
    }

    pub fn key_pem(&self) -> Result<Vec<u8>> {
        Ok(self.key.private_key_to_pem_pkcs8()?)
    }

    pub fn cert_pem(&self) -> Result<Vec<u8>> {
        Ok(self.cert.to_pem()?)
    }
}

/// What goes into a new SP certificate.
#[derive(Debug, Clone)]
pub struct CertificateRequest {
    /// The SP's entity id (put in the `uri` attribute, 2.5.4.83).
    pub entity_id: String,
    /// The administration's name (O and CN).
    pub organization: String,
    /// The administration's IPA code (organizationIdentifier `PA:IT-<code>`).
    pub ipa_code: String,
    /// The locality (L), e.g. `Roma`.
    pub locality: String,
    /// Validity in days.
    pub days: u32,
}

/// Makes a self-signed RSA 3072 / SHA-256 certificate for a public SP.
///
/// It carries the subject attributes SPID asks of a public body (`uri`, `organizationIdentifier`)
/// the key usage of a signing certificate (digitalSignature, nonRepudiation, critical;
/// CA:FALSE) and the policies 1.3.76.16.6 and 1.3.76.16.4.2.1 (Avviso SPID 29 v3, public SP).
pub fn generate(req: &CertificateRequest) -> Result<SigningKey> {
    let rsa = Rsa::generate(3072)?;
    let key = PKey::from_rsa(rsa)?;
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_text("CN", &req.organization)?;
    name.append_entry_by_text("O", &req.organization)?;
    name.append_entry_by_text("2.5.4.83", &req.entity_id)?;
    name.append_entry_by_text("2.5.4.97", &format!("PA:IT-{}", req.ipa_code))?;
    name.append_entry_by_text("C", "IT")?;
    name.append_entry_by_text("L", &req.locality)?;
    let name = name.build();

    let mut builder = X509::builder()?;
    builder.set_version(2)?;
    let mut serial = BigNum::new()?;
    serial.rand(127, MsbOption::MAYBE_ZERO, false)?;
    builder.set_serial_number(Asn1Integer::from_bn(&serial)?.as_ref())?;
    builder.set_subject_name(&name)?;
    builder.set_issuer_name(&name)?;
    builder.set_pubkey(&key)?;
    builder.set_not_before(Asn1Time::days_from_now(0)?.as_ref())?;
    builder.set_not_after(Asn1Time::days_from_now(req.days)?.as_ref())?;
    builder.append_extension(BasicConstraints::new().build()?)?;
    builder.append_extension(
        KeyUsage::new()
            .critical()
            .digital_signature()
            .non_repudiation()
            .build()?,
    )?;
    let ski = SubjectKeyIdentifier::new().build(&builder.x509v3_context(None, None))?;
    builder.append_extension(ski)?;
    // Avviso SPID 29 v3: the AgID policy for SP certificates and the one for public SPs.
    // The openssl crate has no typed builder for certificatePolicies.
    // Its raw parser needs a (here empty) configuration database.
    let conf = openssl::conf::Conf::new(openssl::conf::ConfMethod::default())?;
    #[allow(deprecated)]
    let policies = openssl::x509::X509Extension::new_nid(
        Some(&conf),
        Some(&builder.x509v3_context(None, Some(&conf))),
        openssl::nid::Nid::CERTIFICATE_POLICIES,
        "1.3.76.16.6,1.3.76.16.4.2.1",
    )?;
    builder.append_extension(policies)?;
    builder.sign(&key, MessageDigest::sha256())?;
    Ok(SigningKey {
        key,
        cert: builder.build(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_certificate_is_rsa3072_sha256_and_round_trips() {
        let k = generate(&CertificateRequest {
            entity_id: "https://istanze.example.it".into(),
            organization: "Provincia di Esempio".into(),
            ipa_code: "p_ex".into(),
            locality: "Roma".into(),
            days: 30,
        })
        .unwrap();
        assert_eq!(k.private_key().bits(), 3072);
        assert_eq!(
            k.certificate().signature_algorithm().object().nid(),
            openssl::nid::Nid::SHA256WITHRSAENCRYPTION
        );
        let again = SigningKey::from_pem(&k.key_pem().unwrap(), &k.cert_pem().unwrap()).unwrap();
        assert_eq!(
            again.certificate_base64().unwrap(),
            k.certificate_base64().unwrap()
        );
        let text = format!("{:?}", k.certificate().subject_name());
        assert!(text.contains("PA:IT-p_ex"), "{text}");
        let der = k.certificate().to_der().unwrap();
        // The DER encodings of the two policy OIDs.
        for oid in [
            &[0x06, 0x04, 0x2b, 0x4c, 0x10, 0x06][..],
            &[0x06, 0x06, 0x2b, 0x4c, 0x10, 0x04, 0x02, 0x01][..],
        ] {
            assert!(
                der.windows(oid.len()).any(|w| w == oid),
                "policy {oid:02x?} missing"
            );
        }
    }

    #[test]
    fn refuses_a_certificate_of_another_key() {
        let req = CertificateRequest {
            entity_id: "https://a.example".into(),
            organization: "A".into(),
            ipa_code: "a".into(),
            locality: "Roma".into(),
            days: 1,
        };
        let a = generate(&req).unwrap();
        let b = generate(&req).unwrap();
        let err = SigningKey::from_pem(&a.key_pem().unwrap(), &b.cert_pem().unwrap()).unwrap_err();
        assert!(matches!(err, AuthError::Key(_)));
    }
}
