//! What is filed (a registration) and what comes back (a receipt), and the `Register` trait.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{ProtocolError, Result};

/// Direction of the registration: applications from citizens are incoming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// "in entrata" (A)
    Incoming,
    /// "in uscita" (P)
    Outgoing,
    /// "interno" (I)
    Internal,
}

impl Direction {
    /// The code used by registers: A, P or I.
    pub fn code(self) -> &'static str {
        match self {
            Direction::Incoming => "A",
            Direction::Outgoing => "P",
            Direction::Internal => "I",
        }
    }
}

/// The sender of an incoming document (or recipient of an outgoing one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correspondent {
    pub fiscal_number: String,
    pub name: String,
    /// Given and family name of a person, when known separately (Segnatura wants both).
    #[serde(default)]
    pub given_name: Option<String>,
    #[serde(default)]
    pub family_name: Option<String>,
    pub email: Option<String>,
}

/// A document filed with the registration, identified by its SHA-256 digest (impronta).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRef {
    pub file_name: String,
    pub mime_type: String,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    pub size: u64,
    /// Short description (for attachments: what it is).
    pub description: String,
    /// The bytes, for registers that receive the documents themselves (REST, PEC, SOAP); the
    /// embedded register keeps only the digest.
    #[serde(skip)]
    pub content: Vec<u8>,
}

/// One registration request (DPR 445/2000 art. 53 fields that the caller provides; number and
/// date are given by the register).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// Makes filing idempotent: the same key always returns the first receipt.
    pub idempotency_key: String,
    pub direction: Direction,
    /// Subject (oggetto).
    pub subject: String,
    /// Classification code of the filing plan (titolario).
    pub classification: String,
    pub correspondent: Correspondent,
    pub primary: DocumentRef,
    pub attachments: Vec<DocumentRef>,
    /// The case file (fascicolo) the registration belongs to: every registration of one
    /// application's procedure (the application, the communications, the citizen's replies)
    /// names the same one.
    #[serde(default)]
    pub case_file: Option<CaseFile>,
}

/// A case file (fascicolo, DPR 445/2000 art. 64 and AgID guidelines 3.3): the registrations of
/// one procedure, under one classification.
///
/// ```
/// use istanze_protocol::CaseFile;
/// let f = CaseFile::of_procedure("1.8", 2026, "01HZX", "Patrocinio: Festa della musica");
/// assert_eq!(f.code, "1.8/2026/01HZX");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFile {
    /// CodiceFascicolo: unique within the AOO.
    pub code: String,
    /// Denominazione: what the procedure is about.
    pub name: String,
}

impl CaseFile {
    /// The case file of the procedure started by application `application_id`, opened in
    /// `year` under `classification`: `classification/year/id`, so that every registration of
    /// the procedure names it without a lookup.
    pub fn of_procedure(classification: &str, year: i32, application_id: &str, name: &str) -> Self {
        CaseFile {
            code: format!("{}/{year}/{application_id}", classification.trim()),
            name: name.trim().to_owned(),
        }
    }
}

impl Registration {
    /// Refuses a registration that would make an irregular entry.
    pub fn check(&self) -> Result<()> {
        let blank = |s: &str| s.trim().is_empty();
        if blank(&self.idempotency_key) || self.idempotency_key.len() > 200 {
            return Err(ProtocolError::Invalid("idempotency key".into()));
        }
        if blank(&self.subject) {
            return Err(ProtocolError::Invalid("subject (oggetto) is empty".into()));
        }
        // XML 1.0 and PostgreSQL text refuse most control characters: an entry holding one
        // could never get its Segnatura.
        let control = |s: &str| {
            s.chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        };
        if control(&self.subject)
            || control(&self.correspondent.name)
            || control(&self.classification)
        {
            return Err(ProtocolError::Invalid(
                "control characters in the registration".into(),
            ));
        }
        if let Some(f) = &self.case_file {
            if blank(&f.code) || f.code.len() > 200 || control(&f.code) || control(&f.name) {
                return Err(ProtocolError::Invalid("case file (fascicolo)".into()));
            }
        }
        if blank(&self.correspondent.name) && blank(&self.correspondent.fiscal_number) {
            return Err(ProtocolError::Invalid("correspondent is empty".into()));
        }
        for d in std::iter::once(&self.primary).chain(&self.attachments) {
            let hex = d.sha256.len() == 64
                && d.sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if !hex {
                return Err(ProtocolError::Invalid(format!(
                    "{}: SHA-256 digest",
                    d.file_name
                )));
            }
        }
        Ok(())
    }
}

/// What the register gives back: the registration's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// Register code (CodiceRegistro).
    pub register: String,
    pub year: i32,
    pub number: i64,
    pub registered_at: DateTime<Utc>,
    /// The segnatura: administration, AOO, register, date and number.
    pub segnatura: String,
}

impl Receipt {
    /// The number with at least seven digits (DPR 445/2000 art. 57): `0000001`.
    pub fn number_text(&self) -> String {
        format!("{:07}", self.number)
    }
}

/// Where a register reads the time of a registration.
///
/// A register reads it after it has taken its place in the sequence, so that numbers and
/// times never disagree; tests pass a fixed instant (`DateTime<Utc>` is a clock that stands
/// still).
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

impl Clock for DateTime<Utc> {
    fn now(&self) -> DateTime<Utc> {
        *self
    }
}

/// A protocol register. Implementations must make `file` idempotent by key, and must never
/// hand out a number that is not registered.
#[async_trait::async_trait]
pub trait Register: Send + Sync + std::fmt::Debug {
    /// Files `registration`, dated by `clock`; with a key seen before, returns the first receipt.
    async fn file(&self, registration: &Registration, clock: &dyn Clock) -> Result<Receipt>;

    /// The receipt of an earlier filing with this key, if it succeeded.
    async fn lookup(&self, idempotency_key: &str) -> Result<Option<Receipt>>;
}
