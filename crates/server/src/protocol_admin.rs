//! `istanze protocol ...`: the register's administration commands for the records manager.
//!
//! `verify` checks the hash chain of the embedded register and, for every registration of an
//! application, that the stored application document still matches the digest registered.
//! `annul` records an annulment (DPR 445/2000 art. 54).

use chrono::Utc;
use istanze_protocol::embedded::{entry, Annulment, EmbeddedRegister, RegisterIdentity};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};

use crate::config::Settings;
use crate::db::submission;
use crate::error::ServerError;

async fn open(settings: &Settings) -> Result<(DatabaseConnection, EmbeddedRegister), ServerError> {
    let db = crate::db::connect(&settings.database_url()?, 2).await?;
    let register = EmbeddedRegister::new(
        db.clone(),
        RegisterIdentity {
            ipa_code: settings.administration.ipa_code.clone(),
            aoo: settings.administration.aoo.clone(),
            register: settings.administration.register.clone(),
        },
    );
    Ok((db, register))
}

/// `Ok(Ok(n))`: n entries verified; `Ok(Err(text))`: the first inconsistency, named.
pub async fn verify(settings: &Settings) -> Result<Result<usize, String>, ServerError> {
    let (db, register) = open(settings).await?;
    let count = match register.verify().await? {
        Ok(n) => n,
        Err(inconsistency) => return Ok(Err(inconsistency.to_string())),
    };
    let entries = entry::Entity::find()
        .order_by_asc(entry::Column::Year)
        .order_by_asc(entry::Column::Number)
        .all(&db)
        .await?;
    for e in entries {
        let Some(s) = submission::Entity::find_by_id(&e.idempotency_key)
            .one(&db)
            .await?
        else {
            // Applications are filed under their submission id (a UUID): one that is gone
            // takes its registered document with it.
            if uuid::Uuid::parse_str(&e.idempotency_key).is_ok() {
                return Ok(Err(format!(
                    "{} {} n. {:07}: the application {} registered here is missing",
                    e.register, e.year, e.number, e.idempotency_key
                )));
            }
            continue;
        };
        if crate::random::sha256_hex(s.document.as_bytes()) != e.primary_sha256 {
            return Ok(Err(format!(
                "{} {} n. {:07}: the application document {} does not match the registered digest",
                e.register, e.year, e.number, s.id
            )));
        }
    }
    Ok(Ok(count))
}

/// The sealed Segnatura XML (AgID 2021, `SegnaturaInformatica` 3.0.0) of a registration. The
/// signing time is the registration time, so the document is the same whenever it is made.
pub async fn segnatura(settings: &Settings, year: i32, number: i64) -> Result<String, ServerError> {
    let (_, register) = open(settings).await?;
    let (entry, _) = register
        .entry(year, number)
        .await?
        .ok_or(istanze_protocol::ProtocolError::NotFound)?;
    let registrar = istanze_protocol::segnatura::Registrar {
        administration: settings.administration.name.clone(),
        ipa_code: settings.administration.ipa_code.clone(),
        aoo: settings.administration.aoo.clone(),
    };
    let seal = crate::keys::seal(settings)?;
    Ok(istanze_protocol::segnatura::segnatura(
        &entry,
        &registrar,
        &seal,
        entry.registered_at,
    )?)
}

/// Records the annulment of registration `number` of `year`.
pub async fn annul(
    settings: &Settings,
    year: i32,
    number: i64,
    annulment: &Annulment,
) -> Result<(), ServerError> {
    let (_, register) = open(settings).await?;
    register.annul(year, number, annulment, Utc::now()).await?;
    Ok(())
}
