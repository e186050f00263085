//! `istanze protocol ...`: the register's administration commands for the records manager.
//!
//! `verify` checks the hash chain of the embedded register and, for every registration of an
//! application, that the stored application document still matches the digest registered.
//! `annul` records an annulment (DPR 445/2000 art. 54).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use istanze_protocol::embedded::{entry, Annulment, EmbeddedRegister, RegisterIdentity};
use istanze_protocol::ProtocolError;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::config::Settings;
use crate::db::submission;
use crate::error::ServerError;

/// Why a command on a register did nothing.
#[derive(Debug, thiserror::Error)]
pub enum RegisterAdminError {
    #[error("register: {0}")]
    Register(#[from] ProtocolError),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    /// The administration's register could not be opened as configured: its keys, its
    /// adapter's settings or secret files, its AOO claimed by another administration.
    #[error("{0}")]
    Setup(#[source] Box<ServerError>),
    /// The command is for another adapter than the administration's.
    #[error("protocol.adapter is not \"{0}\"")]
    WrongAdapter(&'static str),
    #[error("{path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The daily register could not be written as JSON, or its stored date read back.
    #[error("daily register: {0}")]
    Daily(String),
}

impl From<ServerError> for RegisterAdminError {
    fn from(e: ServerError) -> RegisterAdminError {
        RegisterAdminError::Setup(Box::new(e))
    }
}

fn file_error(path: &Path) -> impl Fn(std::io::Error) -> RegisterAdminError + '_ {
    move |source| RegisterAdminError::File {
        path: path.to_owned(),
        source,
    }
}

/// The embedded register of `settings`' administration on `db`.
pub(crate) fn register_on(db: &DatabaseConnection, settings: &Settings) -> EmbeddedRegister {
    EmbeddedRegister::new(
        db.clone(),
        RegisterIdentity {
            ipa_code: settings.administration.ipa_code.clone(),
            aoo: settings.administration.aoo.clone(),
            register: settings.administration.register.clone(),
        },
    )
}

/// The administration `settings` are for.
fn admin_of(settings: &Settings) -> Result<istanze_domain::AdministrationId, RegisterAdminError> {
    istanze_domain::AdministrationId::parse(&settings.administration.ipa_code).map_err(|e| {
        RegisterAdminError::Setup(Box::new(
            crate::config::ConfigError::Invalid(e.to_string()).into(),
        ))
    })
}

/// The installation's connection, the one of the administration's register (see
/// [`crate::db::registers::connection`]) and the register on it, its AOO claimed.
async fn open(
    settings: &Settings,
) -> Result<(DatabaseConnection, DatabaseConnection, EmbeddedRegister), RegisterAdminError> {
    let url = settings.database_url().map_err(ServerError::from)?;
    let db = crate::db::connect(&url, 2, None).await?;
    let admin = admin_of(settings)?;
    crate::tenant::claim_register(&db, &admin, &settings.administration.aoo).await?;
    let register_db = crate::db::registers::connection(&db, &admin);
    let register = register_on(&register_db, settings);
    Ok((db, register_db, register))
}

/// Where daily registers are written by default.
pub fn daily_dir(settings: &Settings) -> std::path::PathBuf {
    settings.server.data_dir.join("registro-giornaliero")
}

/// Writes the daily register of `date` into `dir` as JSON and as PDF/A-2b (the PDF quotes the
/// JSON's digest), neither ever overwritten; returns the JSON file and its SHA-256.
pub async fn daily_register_on(
    db: &DatabaseConnection,
    settings: &Settings,
    date: chrono::NaiveDate,
    dir: &Path,
    now: DateTime<Utc>,
) -> Result<(PathBuf, String), RegisterAdminError> {
    let daily = register_on(db, settings).daily_register(date, now).await?;
    let json =
        serde_json::to_vec_pretty(&daily).map_err(|e| RegisterAdminError::Daily(e.to_string()))?;
    let path = daily_path(settings, dir, date, "json");
    std::fs::create_dir_all(dir).map_err(file_error(dir))?;
    crate::keys::write_secret_file(&path, &json).map_err(file_error(&path))?;
    let digest = crate::random::sha256_hex(&json);
    daily_pdf(settings, &daily, &digest, dir, now)?;
    Ok((path.clone(), digest))
}

fn daily_path(
    settings: &Settings,
    dir: &std::path::Path,
    date: chrono::NaiveDate,
    ext: &str,
) -> std::path::PathBuf {
    dir.join(format!(
        "registro-giornaliero-{}-{}.{ext}",
        settings.administration.register,
        date.format("%Y-%m-%d")
    ))
}

fn daily_pdf(
    settings: &Settings,
    daily: &istanze_protocol::embedded::daily::DailyRegister,
    json_sha256: &str,
    dir: &std::path::Path,
    now: DateTime<Utc>,
) -> Result<PathBuf, RegisterAdminError> {
    let date = chrono::NaiveDate::parse_from_str(&daily.date, "%Y-%m-%d")
        .map_err(|e| RegisterAdminError::Daily(e.to_string()))?;
    let path = daily_path(settings, dir, date, "pdf");
    let pdf = daily.pdf(&settings.administration.name, json_sha256, now)?;
    crate::keys::write_secret_file(&path, &pdf).map_err(file_error(&path))?;
    Ok(path)
}

/// `istanze protocol daily-register`, produced at `now`.
pub async fn daily_register(
    settings: &Settings,
    date: chrono::NaiveDate,
    dir: &Path,
    now: DateTime<Utc>,
) -> Result<(PathBuf, String), RegisterAdminError> {
    let (_, register_db, _) = open(settings).await?;
    daily_register_on(&register_db, settings, date, dir, now).await
}

/// The nightly job: yesterday's daily register (Italian calendar), if not produced yet; `db` is
/// the administration's register connection.
pub async fn produce_yesterday(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<Option<PathBuf>, RegisterAdminError> {
    // The PEC adapter files into the embedded register first: it keeps a register too.
    if !matches!(
        settings.protocol.adapter,
        crate::config::Adapter::Embedded | crate::config::Adapter::Pec
    ) {
        return Ok(None);
    }
    let today = istanze_protocol::rome::local(now).date_naive();
    let Some(yesterday) = today.pred_opt() else {
        return Ok(None);
    };
    let dir = daily_dir(settings);
    let path = daily_path(settings, &dir, yesterday, "json");
    if path.exists() {
        // Stopped between the two copies: the PDF is made again, quoting the JSON's digest.
        if daily_path(settings, &dir, yesterday, "pdf").exists() {
            return Ok(None);
        }
        let json = std::fs::read(&path).map_err(file_error(&path))?;
        let daily = register_on(db, settings)
            .daily_register(yesterday, now)
            .await?;
        let digest = crate::random::sha256_hex(&json);
        return Ok(Some(daily_pdf(settings, &daily, &digest, &dir, now)?));
    }
    Ok(Some(
        daily_register_on(db, settings, yesterday, &dir, now)
            .await?
            .0,
    ))
}

/// `Ok(Ok(n))`: n entries verified; `Ok(Err(text))`: the first inconsistency, named.
pub async fn verify(settings: &Settings) -> Result<Result<usize, String>, RegisterAdminError> {
    let (db, register_db, register) = open(settings).await?;
    let count = match register.verify().await? {
        Ok(n) => n,
        Err(inconsistency) => return Ok(Err(inconsistency.to_string())),
    };
    // This AOO's register only; each administration's applications in its own scope.
    let admin = admin_of(settings)?;
    let scoped = crate::db::scope::Scoped::new(&db, &admin);
    let entries = entry::Entity::find()
        .filter(entry::Column::Aoo.eq(&settings.administration.aoo))
        .filter(entry::Column::Register.eq(&settings.administration.register))
        .order_by_asc(entry::Column::Year)
        .order_by_asc(entry::Column::Number)
        .all(&register_db)
        .await?;
    for e in entries {
        let Some(s) = submission::Entity::find_by_id(&e.idempotency_key)
            .filter(submission::Column::Administration.eq(admin.as_str()))
            .one(&scoped)
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
        if crate::random::sha256_hex(s.primary_document().0) != e.primary_sha256 {
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
pub async fn segnatura(
    settings: &Settings,
    year: i32,
    number: i64,
) -> Result<String, RegisterAdminError> {
    let (_, _, register) = open(settings).await?;
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

/// Records the annulment of registration `number` of `year`, made at `now`.
pub async fn annul(
    settings: &Settings,
    year: i32,
    number: i64,
    annulment: &Annulment,
    now: DateTime<Utc>,
) -> Result<(), RegisterAdminError> {
    let (_, _, register) = open(settings).await?;
    register.annul(year, number, annulment, now).await?;
    Ok(())
}

/// Records the AOO's answers found in one raw message received at `now` (the PEC adapter
/// must be configured).
pub async fn pec_receive(
    settings: &Settings,
    raw: &[u8],
    now: DateTime<Utc>,
) -> Result<Vec<istanze_protocol::pec::Received>, RegisterAdminError> {
    if settings.protocol.adapter != crate::config::Adapter::Pec {
        return Err(RegisterAdminError::WrongAdapter("pec"));
    }
    let (_, _, register) = open(settings).await?;
    let pec = crate::pec_register(settings, register)?;
    Ok(pec.receive(raw, now).await?)
}

/// Records what staff found in the protocol system, at `now`, for a DOCAREA filing whose
/// answer was lost.
pub async fn docarea_resolve(
    settings: &Settings,
    submission: &str,
    outcome: istanze_protocol::docarea::Outcome,
    now: DateTime<Utc>,
) -> Result<(), RegisterAdminError> {
    if settings.protocol.adapter != crate::config::Adapter::Docarea {
        return Err(RegisterAdminError::WrongAdapter("docarea"));
    }
    let (_, register_db, _) = open(settings).await?;
    let register = crate::docarea_register(settings, &register_db)?;
    register.resolve(submission, outcome, now).await?;
    Ok(())
}
