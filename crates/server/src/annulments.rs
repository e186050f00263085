//! The annulment of a registration by the records manager from the back office (DPR 445/2000
//! art. 54): the entry stays in the register as it was, and the annulment — its authorising
//! act, its reason, who made it and when — is recorded once beside it, in its own hash chain.
//!
//! Only the registers this installation keeps (the embedded register, and the one the PEC
//! adapter keeps) can be annulled here; an external protocol system annuls in its own
//! application, and asking here is refused rather than pretended.

use chrono::{DateTime, Utc};
use istanze_domain::{Reach, Role};
use istanze_protocol::embedded::{annulment, entry, Annulment, EmbeddedRegister};
use istanze_protocol::ProtocolError;

use crate::config::{Adapter, Settings};
use crate::store::staff::Grant;

/// The longest authorising act reference and reason accepted.
pub const MAX_ACT: usize = 200;
pub const MAX_REASON: usize = 2000;

/// Why an annulment, or the look at a registration, was refused.
#[derive(Debug, thiserror::Error)]
pub enum AnnulError {
    /// Annulling is the records manager's, for the whole administration (the register is the
    /// AOO's, not an office's).
    #[error("annulments are for the administration's records managers")]
    NotRecordsManager,
    /// Reading the register is for its administrators and records managers.
    #[error("the register is for the administration's administrators and records managers")]
    NotOverseer,
    /// The registrations are kept by an external protocol system, which annuls them itself.
    #[error("the register is kept by an external protocol system")]
    ExternalRegister,
    #[error("an annulment needs its {0}")]
    Missing(&'static str),
    #[error("the {0} is too long")]
    TooLong(&'static str),
    #[error("no such registration")]
    NotFound,
    #[error("the registration is already annulled")]
    AlreadyAnnulled,
    #[error("register: {0}")]
    Register(ProtocolError),
}

impl From<ProtocolError> for AnnulError {
    fn from(e: ProtocolError) -> AnnulError {
        match e {
            ProtocolError::NotFound => AnnulError::NotFound,
            ProtocolError::AlreadyAnnulled => AnnulError::AlreadyAnnulled,
            other => AnnulError::Register(other),
        }
    }
}

/// What the records manager writes to annul.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The reference of the authorising act ("Provvedimento n. 12/2026 del 3/12/2026").
    pub authorising_act: String,
    pub reason: String,
}

/// A registration as the back office shows it.
#[derive(Debug, Clone)]
pub struct Registration {
    pub entry: entry::Model,
    pub annulment: Option<annulment::Model>,
    /// The application it belongs to: an application is filed under its id, each of its
    /// communications under `<id>-e<event>`.
    pub application: Option<String>,
}

/// Whether `grants` make their holder a records manager of the whole administration.
pub fn may_annul(grants: &[Grant]) -> bool {
    grants
        .iter()
        .any(|g| g.role == Role::RecordsManager && g.reach == Reach::Administration)
}

/// The administration's register, when this installation keeps it.
fn register(
    settings: &Settings,
    db: &sea_orm::DatabaseConnection,
) -> Result<EmbeddedRegister, AnnulError> {
    if !matches!(settings.protocol.adapter, Adapter::Embedded | Adapter::Pec) {
        return Err(AnnulError::ExternalRegister);
    }
    Ok(crate::protocol_admin::register_on(db, settings))
}

/// The application id an idempotency key names, if it names one.
fn application_of(key: &str) -> Option<String> {
    let id = key.get(..36)?;
    let rest = &key[36..];
    let tail_ok = rest.is_empty()
        || rest
            .strip_prefix("-e")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    (tail_ok && uuid::Uuid::parse_str(id).is_ok()).then(|| id.to_owned())
}

/// Registration `number` of `year` in the register of `settings`' administration, on its
/// connection `db`, for a member holding `grants`.
pub async fn registration(
    settings: &Settings,
    db: &sea_orm::DatabaseConnection,
    grants: &[Grant],
    year: i32,
    number: i64,
) -> Result<Registration, AnnulError> {
    if !crate::jobs_admin::may_oversee(grants) {
        return Err(AnnulError::NotOverseer);
    }
    let (entry, annulment) = register(settings, db)?
        .entry(year, number)
        .await?
        .ok_or(AnnulError::NotFound)?;
    Ok(Registration {
        application: application_of(&entry.idempotency_key),
        entry,
        annulment,
    })
}

/// Which of `registrations` (year, number) are annulled, for the case page; empty when the
/// register is external (it is not known here).
pub async fn annulled(
    settings: &Settings,
    db: &sea_orm::DatabaseConnection,
    registrations: &[(i32, i64)],
) -> Result<Vec<(i32, i64)>, AnnulError> {
    let Ok(register) = register(settings, db) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for &(year, number) in registrations {
        if let Some((_, Some(_))) = register.entry(year, number).await? {
            out.push((year, number));
        }
    }
    Ok(out)
}

/// Annuls registration `(year, number)`, for `operator` (named as the register records it)
/// holding `grants`, at `now`.
pub async fn annul(
    settings: &Settings,
    db: &sea_orm::DatabaseConnection,
    grants: &[Grant],
    operator: &str,
    (year, number): (i32, i64),
    request: &Request,
    now: DateTime<Utc>,
) -> Result<annulment::Model, AnnulError> {
    if !may_annul(grants) {
        return Err(AnnulError::NotRecordsManager);
    }
    let register = register(settings, db)?;
    for (what, value, max) in [
        ("authorising act", &request.authorising_act, MAX_ACT),
        ("reason", &request.reason, MAX_REASON),
    ] {
        if value.trim().is_empty() {
            return Err(AnnulError::Missing(what));
        }
        if value.chars().count() > max {
            return Err(AnnulError::TooLong(what));
        }
    }
    let annulment = Annulment {
        authorising_act: request.authorising_act.clone(),
        operator: operator.to_owned(),
        reason: request.reason.clone(),
    };
    Ok(register.annul(year, number, &annulment, now).await?)
}

#[cfg(test)]
mod tests {
    use super::application_of;

    #[test]
    fn an_idempotency_key_names_its_application() {
        let id = "0b1e2f3a-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
        assert_eq!(application_of(id).as_deref(), Some(id));
        assert_eq!(application_of(&format!("{id}-e12")).as_deref(), Some(id));
        // Keys that are no application: a PEC message's, a truncated one, a stray tail.
        assert_eq!(application_of("pec-1234"), None);
        assert_eq!(application_of(&id[..30]), None);
        assert_eq!(application_of(&format!("{id}-e")), None);
        assert_eq!(application_of(&format!("{id}-x1")), None);
    }
}
