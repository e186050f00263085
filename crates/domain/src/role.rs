//! Staff roles and offices: what a member of an administration's staff may do, and where.
//!
//! A role is granted for the whole administration or for one of its offices ("uffici"); the
//! back office shows a member only what their grants reach.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A staff role, named as the back office and `istanze staff grant --role` name it.
///
/// ```
/// use istanze_domain::Role;
///
/// assert_eq!(Role::parse("responsabile").unwrap(), Role::ProcedureManager);
/// assert_eq!(Role::ProcedureManager.code(), "responsabile");
/// assert!(Role::parse("capo").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Grants and revokes roles, configures the administration's services.
    Administrator,
    /// Designs, previews and publishes forms.
    FormDesigner,
    /// Works applications: takes them, asks for integrations, writes to the citizen.
    Operator,
    /// The responsabile del procedimento (L. 241/1990 art. 5-6): decides.
    ProcedureManager,
    /// Annuls registrations with their authorising act (DPR 445/2000 art. 54).
    RecordsManager,
    /// Reads everything its grant reaches, changes nothing.
    Auditor,
}

/// A text that names no role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?} (amministratore, progettista, operatore, responsabile, protocollista, revisore)")]
pub struct RoleError(pub String);

impl Role {
    /// Every role, in the order the back office lists them.
    pub const ALL: [Role; 6] = [
        Role::Administrator,
        Role::FormDesigner,
        Role::Operator,
        Role::ProcedureManager,
        Role::RecordsManager,
        Role::Auditor,
    ];

    /// The role's stable code (stored, and typed at the command line).
    pub const fn code(self) -> &'static str {
        match self {
            Role::Administrator => "amministratore",
            Role::FormDesigner => "progettista",
            Role::Operator => "operatore",
            Role::ProcedureManager => "responsabile",
            Role::RecordsManager => "protocollista",
            Role::Auditor => "revisore",
        }
    }

    /// The role of `code`.
    pub fn parse(code: &str) -> Result<Role, RoleError> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == code)
            .ok_or_else(|| RoleError(code.chars().take(40).collect()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An office of an administration ("ufficio"), by its code: 1 to 32 lowercase letters, digits,
/// `-` or `_`, starting with a letter (safe in a path, a query and a CSV file).
///
/// ```
/// use istanze_domain::OfficeCode;
///
/// assert_eq!(OfficeCode::parse("cultura").unwrap().as_str(), "cultura");
/// assert!(OfficeCode::parse("Ufficio Cultura").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OfficeCode(String);

/// A text that is no office code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an office code has 1 to 32 lowercase letters, digits, '-' or '_', starting with a letter")]
pub struct OfficeCodeError;

impl OfficeCode {
    /// Checks `code` and makes it an office code.
    pub fn parse(code: &str) -> Result<OfficeCode, OfficeCodeError> {
        let ok = (1..=32).contains(&code.len())
            && code.starts_with(|c: char| c.is_ascii_lowercase())
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if ok {
            Ok(OfficeCode(code.to_owned()))
        } else {
            Err(OfficeCodeError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OfficeCode {
    type Error = OfficeCodeError;
    fn try_from(s: String) -> Result<OfficeCode, OfficeCodeError> {
        OfficeCode::parse(&s)
    }
}

impl From<OfficeCode> for String {
    fn from(o: OfficeCode) -> String {
        o.0
    }
}

impl fmt::Display for OfficeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a grant reaches: the whole administration, or one office of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    Administration,
    Office(OfficeCode),
}

impl Reach {
    /// Whether a grant with this reach covers `office` (an application's office, or none yet).
    pub fn covers(&self, office: Option<&OfficeCode>) -> bool {
        match self {
            Reach::Administration => true,
            Reach::Office(mine) => office == Some(mine),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_from_its_code() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Ok(r));
        }
        assert_eq!(
            Role::parse("Operatore"),
            Err(RoleError("Operatore".into())),
            "codes are lowercase"
        );
    }

    #[test]
    fn office_codes_are_checked() {
        for bad in ["", "1cultura", "cul tura", "cultura/../x", &"a".repeat(33)] {
            assert_eq!(OfficeCode::parse(bad), Err(OfficeCodeError), "{bad:?}");
        }
        assert!(OfficeCode::parse("ragioneria-2").is_ok());
    }

    #[test]
    fn an_office_grant_covers_its_office_only() {
        let cultura = OfficeCode::parse("cultura").unwrap();
        let sport = OfficeCode::parse("sport").unwrap();
        let reach = Reach::Office(cultura.clone());
        assert!(reach.covers(Some(&cultura)));
        assert!(!reach.covers(Some(&sport)));
        assert!(!reach.covers(None), "an application not yet assigned");
        assert!(Reach::Administration.covers(None));
    }
}
