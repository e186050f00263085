//! The SP key and the trusted IdPs, from configuration; in demo mode, keys are generated once
//! under the data directory so that the demo needs no set-up.

use std::path::Path;

use istanze_auth::demo_idp::DemoIdp;
use istanze_auth::keys::{generate, CertificateRequest, SigningKey};
use istanze_auth::saml::{idp_metadata, registry, IdpDescriptor};

use crate::config::Settings;
use crate::error::ServerError;

pub(crate) fn sp_key(settings: &Settings, public_url: &str) -> Result<SigningKey, ServerError> {
    match (&settings.spid.key_file, &settings.spid.cert_file) {
        (Some(key), Some(cert)) => {
            crate::secure_files::check_private(key, "spid.key_file")?;
            Ok(SigningKey::from_files(key, cert)?)
        }
        _ => demo_key(settings, "sp", public_url),
    }
}

/// The AOO's seal for the Segnatura XML.
pub(crate) fn seal(settings: &Settings) -> Result<istanze_protocol::segnatura::Seal, ServerError> {
    let a = &settings.administration;
    let key = match (&a.seal_key_file, &a.seal_cert_file) {
        (Some(key), Some(cert)) => {
            crate::secure_files::check_private(key, "administration.seal_key_file")?;
            SigningKey::from_files(key, cert)?
        }
        _ if settings.server.demo => demo_key(settings, "aoo-seal", &format!("urn:aoo:{}", a.aoo))?,
        _ => {
            return Err(ServerError::Internal(
                "administration.seal_key_file and seal_cert_file are needed for the Segnatura"
                    .into(),
            ))
        }
    };
    Ok(istanze_protocol::segnatura::Seal::from_pem(
        &key.key_pem()?,
        &key.cert_pem()?,
    )?)
}

pub(crate) fn demo_idp(settings: &Settings, public_url: &str) -> Result<DemoIdp, ServerError> {
    let entity_id = format!("{public_url}/demo-idp");
    let key = demo_key(settings, "demo-idp", &entity_id)?;
    Ok(
        DemoIdp::new(entity_id, format!("{public_url}/demo-idp/sso"), key)
            .with_slo(format!("{public_url}/demo-idp/slo")),
    )
}

/// A key pair under `data_dir`, made on first use. Only demo mode gets here (checked at
/// start-up: production requires configured key files).
pub(crate) fn demo_key(
    settings: &Settings,
    name: &str,
    entity_id: &str,
) -> Result<SigningKey, ServerError> {
    let dir = &settings.server.data_dir;
    let key_path = dir.join(format!("{name}-key.pem"));
    let cert_path = dir.join(format!("{name}-cert.pem"));
    if key_path.exists() && cert_path.exists() {
        crate::secure_files::check_private(&key_path, "server.data_dir (demo key)")?;
        return Ok(SigningKey::from_files(&key_path, &cert_path)?);
    }
    let key = generate(&CertificateRequest {
        entity_id: entity_id.to_owned(),
        organization: settings.administration.name.clone(),
        ipa_code: settings.administration.ipa_code.clone(),
        locality: "Roma".into(),
        days: 3650,
    })?;
    write_private(dir, &key_path, &key.key_pem()?)?;
    write_private(dir, &cert_path, &key.cert_pem()?)?;
    Ok(key)
}

fn write_private(dir: &Path, path: &Path, data: &[u8]) -> Result<(), ServerError> {
    let io = |e: std::io::Error| ServerError::Internal(format!("{}: {e}", path.display()));
    crate::secure_files::create_private_dir(dir).map_err(io)?;
    write_secret_file(path, data).map_err(io)
}

/// Creates `path` readable by its owner only from the first byte (never a moment with wider
/// permissions); an existing file is an error, not overwritten.
pub fn write_secret_file(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(data)
}

/// Every identity provider the service trusts, and which ones are CIE and eIDAS.
#[derive(Debug, Clone, Default)]
pub(crate) struct TrustedIdps {
    pub all: Vec<IdpDescriptor>,
    pub cie: Option<String>,
    pub eidas: Option<String>,
}

pub(crate) fn trusted_idps(settings: &Settings) -> Result<TrustedIdps, ServerError> {
    let spid = &settings.spid;
    let mut out = TrustedIdps::default();
    if let (Some(file), Some(cert)) = (&spid.registry_file, &spid.registry_cert) {
        out.all
            .extend(registry::verify(&read(file)?, read(cert)?.as_bytes())?);
    }
    for path in spid.extra_idp_metadata() {
        out.all.extend(idp_metadata::parse(&read(path)?)?);
    }
    for (path, slot) in [
        (&spid.cie_metadata, &mut out.cie),
        (&spid.eidas_metadata, &mut out.eidas),
    ] {
        if let Some(path) = path {
            let idps = idp_metadata::parse(&read(path)?)?;
            *slot = idps.first().map(|i| i.entity_id.clone());
            out.all.extend(idps);
        }
    }
    Ok(out)
}

fn read(path: &Path) -> Result<String, ServerError> {
    std::fs::read_to_string(path)
        .map_err(|e| ServerError::Internal(format!("{}: {e}", path.display())))
}
