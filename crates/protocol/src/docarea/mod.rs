//! The DOCAREA adapter: the SOAP service of many Italian protocol systems (ADS Prisma, Datagraph,
//! Halley and others): `Login` gives a token (DST), `Inserimento` uploads each document and gives
//! its id, `Protocollazione` takes the profile XML naming those ids and gives number, year and
//! date. Both wire forms in use are spoken ([`soap::Variant`]).
//!
//! DOCAREA has no way to look a registration up by our key. So the adapter keeps its own state
//! (`docarea_filings`): it marks a filing as attempted before calling `Protocollazione`, clears
//! the mark when the server answers that nothing was registered, and never calls again for a
//! filing whose answer was lost: that one waits, visibly stuck, for a person to check the
//! protocol system and record the outcome ([`DocareaRegister::resolve`]).

pub mod record;
pub mod segnatura;
pub mod soap;

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::embedded::daily::italian_midnight;
use crate::{rome, Clock, ProtocolError, Receipt, Register, Registration, Result};
use soap::{Answer, CallError, Endpoint, File, Variant};

/// DOCAREA: the token (DST) is not valid or has expired.
const DST_INVALID: i64 = -2;

/// The DOCAREA adapter's settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocareaSettings {
    /// The service URL (e.g. `https://protocollo.example.it/DOCAREAProto/DOCAREAProto.asmx`).
    pub endpoint: String,
    #[serde(default)]
    pub variant: Variant,
    /// The service namespace; `http://tempuri.org/` unless the WSDL says otherwise.
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// `strCodEnte` of the login and `CodiceAmministrazione` of the profile.
    pub ente: String,
    pub administration_name: String,
    pub aoo: String,
    pub username: String,
    pub password: String,
    /// Organisational unit receiving the applications (`UnitaOrganizzativa id`).
    #[serde(default)]
    pub unit: Option<String>,
    /// `ApplicativoProtocollo nome`, with its `Parametro`s (vendor-specific).
    #[serde(default)]
    pub application: Option<String>,
    #[serde(default)]
    pub application_parameters: BTreeMap<String, String>,
    /// Register code shown on receipts.
    #[serde(default = "default_register")]
    pub register: String,
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
}

fn default_namespace() -> String {
    "http://tempuri.org/".into()
}

fn default_register() -> String {
    "PG".into()
}

fn default_timeout() -> u64 {
    60
}

/// The DOCAREA register.
#[derive(Debug)]
pub struct DocareaRegister {
    settings: DocareaSettings,
    endpoint: Endpoint,
    db: DatabaseConnection,
    token: Mutex<Option<String>>,
}

/// How a filing whose answer was lost turned out, as a person found it in the protocol system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It was registered with this number and date.
    Registered { number: i64, date: NaiveDate },
    /// It was not registered: the next attempt files it.
    NotRegistered,
}

fn remote(call: &str, e: CallError) -> ProtocolError {
    match e {
        CallError::Refused(m) => ProtocolError::Remote(format!("DOCAREA {call}: {m}")),
        CallError::NoAnswer(m) => ProtocolError::Remote(format!("DOCAREA {call}: no answer: {m}")),
    }
}

/// A failed call, and whether its answer was lost (the server may have acted).
struct Failed {
    error: ProtocolError,
    answer_lost: bool,
}

impl From<ProtocolError> for Failed {
    fn from(error: ProtocolError) -> Failed {
        Failed {
            error,
            answer_lost: false,
        }
    }
}

fn failed(call: &str, e: CallError) -> Failed {
    Failed {
        answer_lost: matches!(e, CallError::NoAnswer(_)),
        error: remote(call, e),
    }
}

fn refused(call: &str, a: &Answer) -> ProtocolError {
    ProtocolError::Remote(format!(
        "DOCAREA {call}: error {} {}",
        a.err_number, a.err_string
    ))
}

impl DocareaRegister {
    /// The adapter; its state lives in `db` (tables from [`crate::migration`]).
    pub fn new(settings: DocareaSettings, db: DatabaseConnection) -> Result<DocareaRegister> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(settings.timeout_seconds.max(1)))
            .build()
            .map_err(|e| ProtocolError::Invalid(format!("HTTP client: {e}")))?;
        let endpoint = Endpoint {
            url: settings.endpoint.clone(),
            namespace: settings.namespace.clone(),
            variant: settings.variant,
            client,
        };
        Ok(DocareaRegister {
            settings,
            endpoint,
            db,
            token: Mutex::new(None),
        })
    }

    async fn login(&self) -> Result<String> {
        let s = &self.settings;
        let a = self
            .endpoint
            .call(
                "Login",
                &[
                    ("strCodEnte", &s.ente),
                    ("strUserName", &s.username),
                    ("strPassword", &s.password),
                ],
                None,
            )
            .await
            .map_err(|e| remote("Login", e))?;
        match (a.err_number, a.field("strDST")) {
            (0, Some(dst)) => Ok(dst.to_owned()),
            _ => Err(refused("Login", &a)),
        }
    }

    /// Calls `op` with the session token, logging in (again) when the server says the token is
    /// not valid: that answer means the operation did not happen.
    async fn with_token(&self, op: &str, file: File<'_>) -> std::result::Result<Answer, Failed> {
        let mut token = self.token.lock().await;
        for fresh in [false, true] {
            let dst = match (&*token, fresh) {
                (Some(t), false) => t.clone(),
                _ => {
                    let t = self.login().await?;
                    *token = Some(t.clone());
                    t
                }
            };
            let a = self
                .endpoint
                .call(
                    op,
                    &[("strUserName", &self.settings.username), ("strDST", &dst)],
                    Some(file),
                )
                .await
                .map_err(|e| failed(op, e))?;
            if a.err_number == DST_INVALID && !fresh {
                continue;
            }
            return Ok(a);
        }
        Err(ProtocolError::Remote(format!("DOCAREA {op}: token refused")).into())
    }

    async fn state(&self, key: &str) -> Result<Option<record::Model>> {
        Ok(record::Entity::find_by_id(key.to_owned())
            .one(&self.db)
            .await?)
    }

    /// Clears or sets the attempt mark (a refusal proved nothing was registered; staff said so).
    async fn mark(&self, key: &str, started: Option<DateTime<Utc>>) -> Result<()> {
        record::Entity::insert(record::ActiveModel {
            idempotency_key: Set(key.to_owned()),
            attempt_started_at: Set(started),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::column(record::Column::IdempotencyKey)
                .update_column(record::Column::AttemptStartedAt)
                .to_owned(),
        )
        .exec(&self.db)
        .await?;
        Ok(())
    }

    /// Marks the filing as attempted, unless another attempt holds or lost it: only one
    /// process ever calls `Protocollazione` for a key at a time.
    async fn claim_attempt(&self, key: &str, now: DateTime<Utc>) -> Result<bool> {
        record::Entity::insert(record::ActiveModel {
            idempotency_key: Set(key.to_owned()),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::column(record::Column::IdempotencyKey)
                .do_nothing()
                .to_owned(),
        )
        .do_nothing()
        .exec(&self.db)
        .await?;
        let claimed = record::Entity::update_many()
            .col_expr(
                record::Column::AttemptStartedAt,
                sea_orm::sea_query::Expr::value(Some(now)),
            )
            .filter(record::Column::IdempotencyKey.eq(key))
            .filter(record::Column::AttemptStartedAt.is_null())
            .filter(record::Column::Number.is_null())
            .exec(&self.db)
            .await?;
        Ok(claimed.rows_affected == 1)
    }

    fn receipt(&self, r: &record::Model) -> Option<Receipt> {
        let (number, year, at) = (r.number?, r.year?, r.registered_at?);
        Some(Receipt {
            register: self.settings.register.clone(),
            year,
            number,
            registered_at: at,
            segnatura: format!(
                "{} - {} - {} - Prot. N. {number:07} del {}",
                self.settings.ente,
                self.settings.aoo,
                self.settings.register,
                r.date_text.clone().unwrap_or_default()
            ),
        })
    }

    async fn record_number(
        &self,
        key: &str,
        number: i64,
        date: NaiveDate,
        year: i32,
        now: DateTime<Utc>,
    ) -> Result<Receipt> {
        // Systems give a date only: the registration time is now when it is today.
        let at = if rome::local(now).date_naive() == date {
            now
        } else {
            italian_midnight(date)
        };
        let m = record::Model {
            idempotency_key: key.to_owned(),
            attempt_started_at: None,
            number: Some(number),
            year: Some(year),
            registered_at: Some(at),
            date_text: Some(date.format("%d/%m/%Y").to_string()),
        };
        record::Entity::insert(record::ActiveModel::from(m.clone()))
            .on_conflict(
                OnConflict::column(record::Column::IdempotencyKey)
                    .update_columns([
                        record::Column::AttemptStartedAt,
                        record::Column::Number,
                        record::Column::Year,
                        record::Column::RegisteredAt,
                        record::Column::DateText,
                    ])
                    .to_owned(),
            )
            .exec(&self.db)
            .await?;
        self.receipt(&m).ok_or(ProtocolError::NotFound)
    }

    /// Records what a person found in the protocol system for a filing whose answer was lost.
    pub async fn resolve(&self, key: &str, outcome: Outcome, now: DateTime<Utc>) -> Result<()> {
        let Some(r) = self.state(key).await? else {
            return Err(ProtocolError::NotFound);
        };
        if r.number.is_some() {
            return Err(ProtocolError::Invalid(
                "the filing has its number already".into(),
            ));
        }
        match outcome {
            Outcome::Registered { number, date } => {
                self.record_number(key, number, date, date.year(), now)
                    .await?;
            }
            Outcome::NotRegistered => self.mark(key, None).await?,
        }
        Ok(())
    }
}

/// `dd/MM/yyyy` or `yyyy-MM-dd`, possibly followed by a time.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let day = text.trim().get(..10)?;
    NaiveDate::parse_from_str(day, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(day, "%Y-%m-%d"))
        .ok()
}

#[async_trait]
impl Register for DocareaRegister {
    async fn file(&self, reg: &Registration, clock: &dyn Clock) -> Result<Receipt> {
        reg.check()?;
        let key = &reg.idempotency_key;
        if let Some(r) = self.state(key).await? {
            if let Some(receipt) = self.receipt(&r) {
                return Ok(receipt);
            }
            if r.attempt_started_at.is_some() {
                return Err(ProtocolError::Remote(
                    "DOCAREA: the answer to an earlier Protocollazione was lost; check the \
                     protocol system and record the outcome (istanze protocol docarea-resolve)"
                        .into(),
                ));
            }
        }
        let mut ids = Vec::new();
        for d in std::iter::once(&reg.primary).chain(&reg.attachments) {
            let file = File {
                name: &d.file_name,
                mime: &d.mime_type,
                bytes: &d.content,
            };
            let a = self
                .with_token("Inserimento", file)
                .await
                .map_err(|f| f.error)?;
            match (
                a.err_number,
                a.field("lngDocID").and_then(|v| v.parse().ok()),
            ) {
                (0, Some(id)) => ids.push(id),
                _ => return Err(refused("Inserimento", &a)),
            }
        }
        let s = &self.settings;
        let profile = segnatura::profile(
            reg,
            &segnatura::Profile {
                administration_code: &s.ente,
                administration_name: &s.administration_name,
                aoo: &s.aoo,
                unit: s.unit.as_deref(),
                application: s
                    .application
                    .as_deref()
                    .map(|n| (n, &s.application_parameters)),
            },
            &ids,
        );
        if !self.claim_attempt(key, clock.now()).await? {
            return Err(ProtocolError::Remote(
                "DOCAREA: another attempt of this filing is in progress or lost its answer".into(),
            ));
        }
        let file = File {
            name: "segnatura.xml",
            mime: "text/xml",
            bytes: profile.as_bytes(),
        };
        let answer = match self.with_token("Protocollazione", file).await {
            Ok(a) => a,
            Err(f) => {
                // Refused outright (HTTP error, Fault): nothing registered, the mark goes.
                // No answer: the mark stays.
                if !f.answer_lost {
                    self.mark(key, None).await?;
                }
                return Err(f.error);
            }
        };
        let number = answer.field("lngNumPG").and_then(|v| v.parse::<i64>().ok());
        let date = answer.field("strDataPG").and_then(parse_date);
        match (answer.err_number, number, date) {
            (0, Some(number), Some(date)) => {
                let year = answer
                    .field("lngAnnoPG")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(date.year());
                self.record_number(key, number, date, year, clock.now())
                    .await
            }
            (0, _, _) => Err(ProtocolError::Remote(
                "DOCAREA Protocollazione: success without number or date; check the protocol \
                 system and record the outcome (istanze protocol docarea-resolve)"
                    .into(),
            )),
            _ => {
                self.mark(key, None).await?;
                Err(refused("Protocollazione", &answer))
            }
        }
    }

    async fn lookup(&self, key: &str) -> Result<Option<Receipt>> {
        Ok(self.state(key).await?.and_then(|r| self.receipt(&r)))
    }
}
