//! Who is acting: a person (known by fiscal code, or by an eIDAS identifier for a citizen of
//! another European country without one), how they logged in, and whether as a citizen or as
//! staff. The session, the submission and (next) the back office keep a [`Principal`], never
//! the fields of one login protocol, so OpenID Connect and CNS logins add a [`LoginMethod`] and
//! nothing else.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{FiscalCode, LevelOfAssurance};

/// The stable identifier of a person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// An Italian person (or a foreigner with an Italian fiscal code).
    FiscalCode(FiscalCode),
    /// A person known only by the eIDAS unique identifier the Italian node (FICEP) passes on,
    /// such as `DE/IT/0123456789`.
    Eidas(EidasId),
}

impl Subject {
    /// The key that owns rows (submissions, drafts, attachments): the fiscal code, or
    /// `eidas:` and the identifier. The two cannot collide, since a fiscal code has no `:`.
    ///
    /// ```
    /// use istanze_domain::{FiscalCode, Subject};
    ///
    /// let cf = Subject::FiscalCode(FiscalCode::parse("RSSMRA85T10A562S").unwrap());
    /// assert_eq!(cf.key(), "RSSMRA85T10A562S");
    /// ```
    pub fn key(&self) -> String {
        match self {
            Subject::FiscalCode(cf) => cf.as_str().to_owned(),
            Subject::Eidas(id) => format!("eidas:{}", id.as_str()),
        }
    }

    /// The fiscal code, when the person has one.
    pub fn fiscal_code(&self) -> Option<&FiscalCode> {
        match self {
            Subject::FiscalCode(cf) => Some(cf),
            Subject::Eidas(_) => None,
        }
    }
}

/// An eIDAS person identifier: printable ASCII without spaces, at most 256 characters (the
/// eIDAS SAML attribute profile's bound).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EidasId(String);

/// A text that is not an eIDAS person identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an eIDAS person identifier (1 to 256 printable characters, no spaces)")]
pub struct EidasIdError;

impl EidasId {
    /// The identifier in `id`.
    pub fn parse(id: &str) -> Result<EidasId, EidasIdError> {
        if (1..=256).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(EidasId(id.to_owned()))
        } else {
            Err(EidasIdError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EidasId {
    type Error = EidasIdError;
    fn try_from(id: String) -> Result<EidasId, EidasIdError> {
        EidasId::parse(&id)
    }
}

impl From<EidasId> for String {
    fn from(id: EidasId) -> String {
        id.0
    }
}

/// A person as a login described them. Only `subject` identifies; the rest is what the
/// identity provider released, for prefilling forms and for the documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub subject: Subject,
    pub name: Option<String>,
    pub family_name: Option<String>,
    pub email: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    /// Every attribute released, by its SPID name, trimmed.
    pub attributes: BTreeMap<String, String>,
}

impl Person {
    /// "Name Surname", or the subject's key when the login released no name.
    pub fn display_name(&self) -> String {
        match (&self.name, &self.family_name) {
            (Some(n), Some(f)) => format!("{n} {f}"),
            _ => self.subject.key(),
        }
    }

    /// The attributes in the shape the forms' prefill mapping uses (`fiscal_number`, `name`,
    /// `family_name`, `email`, `date_of_birth`).
    pub fn prefill_attributes(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        if let Some(cf) = self.subject.fiscal_code() {
            out.insert("fiscal_number".to_owned(), cf.as_str().to_owned());
        }
        for (k, v) in [
            ("name", &self.name),
            ("family_name", &self.family_name),
            ("email", &self.email),
        ] {
            if let Some(v) = v {
                out.insert(k.to_owned(), v.clone());
            }
        }
        if let Some(d) = self.date_of_birth {
            out.insert("date_of_birth".to_owned(), d.format("%Y-%m-%d").to_string());
        }
        out
    }
}

/// The scheme a person logged in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginMethod {
    Spid,
    Cie,
    Eidas,
    /// An administration's own OpenID Connect provider, or CIE/SPID over OIDC federation.
    Oidc,
    /// The demonstration identity provider: no legal value.
    Demo,
    /// A member of staff's API credential (personal token or OAuth2 client), made by them
    /// after a login of one of the schemes above.
    ApiCredential,
}

impl LoginMethod {
    /// The name shown in documents and the back office.
    pub fn label(self) -> &'static str {
        match self {
            LoginMethod::Spid => "SPID",
            LoginMethod::Cie => "CIE",
            LoginMethod::Eidas => "eIDAS",
            LoginMethod::Oidc => "OpenID Connect",
            LoginMethod::Demo => "Identità di prova",
            LoginMethod::ApiCredential => "Credenziale API",
        }
    }
}

/// One login: its scheme, what it proved, and who vouched for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login {
    pub method: LoginMethod,
    pub level: LevelOfAssurance,
    /// The identity provider's entity id (SAML) or issuer (OIDC).
    pub provider: String,
}

/// Whether a person acts for themselves or for the administration. Roles of staff belong to
/// the administration's records, not to the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Acting {
    Citizen,
    Staff,
}

/// Who is acting, and how they proved it.
///
/// ```
/// use istanze_domain::{Acting, FiscalCode, LevelOfAssurance, Login, LoginMethod, Person, Principal, Subject};
///
/// let person = Person {
///     subject: Subject::FiscalCode(FiscalCode::parse("RSSMRA85T10A562S").unwrap()),
///     name: Some("Mario".into()),
///     family_name: Some("Rossi".into()),
///     email: None,
///     date_of_birth: None,
///     attributes: Default::default(),
/// };
/// let login = Login {
///     method: LoginMethod::Cie,
///     level: LevelOfAssurance::SpidL3,
///     provider: "https://idserver.servizicie.interno.gov.it/idp/profile/SAML2/POST/SSO".into(),
/// };
/// let p = Principal { person, login, acting: Acting::Citizen };
/// assert_eq!(p.owner(), "RSSMRA85T10A562S");
/// assert_eq!(p.access(), "CIE livello 3 (https://idserver.servizicie.interno.gov.it/idp/profile/SAML2/POST/SSO)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub person: Person,
    pub login: Login,
    pub acting: Acting,
}

impl Principal {
    /// The key that owns the person's rows ([`Subject::key`]).
    pub fn owner(&self) -> String {
        self.person.subject.key()
    }

    /// The level of assurance of the login.
    pub fn level(&self) -> LevelOfAssurance {
        self.login.level
    }

    /// How the person logged in, in the Italian words of the application document.
    pub fn access(&self) -> String {
        format!(
            "{} livello {} ({})",
            self.login.method.label(),
            self.login.level.number(),
            self.login.provider
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eidas_ids_are_bounded_and_keys_do_not_collide() {
        assert!(EidasId::parse("DE/IT/0123456789").is_ok());
        assert_eq!(EidasId::parse(""), Err(EidasIdError));
        assert_eq!(EidasId::parse("DE/IT/01 23"), Err(EidasIdError));
        assert_eq!(EidasId::parse(&"x".repeat(257)), Err(EidasIdError));
        let id = Subject::Eidas(EidasId::parse("RSSMRA85T10A562S").unwrap());
        let cf = Subject::FiscalCode(FiscalCode::parse("RSSMRA85T10A562S").unwrap());
        assert_ne!(id.key(), cf.key());
        assert_eq!(id.fiscal_code(), None);
    }

    #[test]
    fn a_principal_round_trips_through_json() {
        let p = Principal {
            person: Person {
                subject: Subject::Eidas(EidasId::parse("DE/IT/42").unwrap()),
                name: Some("Anna".into()),
                family_name: Some("Schmidt".into()),
                email: None,
                date_of_birth: NaiveDate::from_ymd_opt(1990, 1, 2),
                attributes: BTreeMap::new(),
            },
            login: Login {
                method: LoginMethod::Eidas,
                level: LevelOfAssurance::SpidL2,
                provider: "https://ficep.example".into(),
            },
            acting: Acting::Citizen,
        };
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.contains(r#""subject":{"eidas":"DE/IT/42"}"#), "{json}");
        assert_eq!(serde_json::from_str::<Principal>(&json).unwrap(), p);
        assert_eq!(p.owner(), "eidas:DE/IT/42");
        let prefill = p.person.prefill_attributes();
        assert_eq!(prefill.get("fiscal_number"), None);
        assert_eq!(prefill["date_of_birth"], "1990-01-02");
    }
}
