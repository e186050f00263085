//! From a login to the [`Principal`] the session and the submission keep, and back from what
//! they stored. The scheme of a SAML login follows the configured CIE and eIDAS identity
//! providers and the demo IdP (entity ids say nothing reliable by themselves).
//!
//! Rows written before principals existed hold the SAML identity's fields
//! (`fiscal_number`, `level`, `provider`, ...): they are read as the principal they describe,
//! so an application accepted then is still filed and shown.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use istanze_auth::{Identity, Level};
use istanze_domain::{Acting, EidasId, FiscalCode, Login, LoginMethod, Person, Principal, Subject};
use serde::Deserialize;

use crate::error::ServerError;
use crate::state::AppState;

/// The scheme of a SAML login from `provider`.
pub fn method_of(state: &AppState, provider: &str) -> LoginMethod {
    if state.cie_idp.as_deref() == Some(provider) {
        LoginMethod::Cie
    } else if state.eidas_idp.as_deref() == Some(provider) {
        LoginMethod::Eidas
    } else if state
        .demo_idp
        .as_ref()
        .is_some_and(|d| d.entity_id == provider)
    {
        LoginMethod::Demo
    } else {
        LoginMethod::Spid
    }
}

/// The citizen a SAML login proved.
pub fn citizen(state: &AppState, identity: Identity) -> Principal {
    Principal {
        login: Login {
            method: method_of(state, &identity.provider),
            level: identity.level,
            provider: identity.provider,
        },
        person: identity.person,
        acting: Acting::Citizen,
    }
}

/// The stored form of a principal.
pub fn to_stored(principal: &Principal) -> Result<String, ServerError> {
    serde_json::to_string(principal).map_err(|e| ServerError::Internal(e.to_string()))
}

/// A principal as stored by [`to_stored`], or by a version before principals.
pub fn from_stored(state: &AppState, json: &str) -> Result<Principal, ServerError> {
    match parse(json).map_err(ServerError::Internal)? {
        Stored::Current(p) => Ok(p),
        Stored::Legacy(old) => {
            let login = Login {
                method: method_of(state, &old.provider),
                level: old.level,
                provider: old.provider.clone(),
            };
            Ok(Principal {
                login,
                person: legacy_person(old).map_err(ServerError::Internal)?,
                acting: Acting::Citizen,
            })
        }
    }
}

/// The person of a stored principal of either form: what a document or a registration names.
/// Unlike [`from_stored`] it needs no installation: the login method of an old row is what
/// only the configured identity providers tell.
pub fn stored_person(json: &str) -> Result<Person, String> {
    match parse(json)? {
        Stored::Current(p) => Ok(p.person),
        Stored::Legacy(old) => legacy_person(old),
    }
}

fn parse(json: &str) -> Result<Stored, String> {
    serde_json::from_str::<Stored>(json).map_err(|e| format!("stored principal: {e}"))
}

fn legacy_person(old: LegacyIdentity) -> Result<Person, String> {
    // Before principals any non-empty fiscalNumber was kept (a foreign TIN from the eIDAS node
    // too): what is no Italian fiscal code is read as an eIDAS identifier.
    let subject = match FiscalCode::parse(&old.fiscal_number) {
        Ok(cf) => Subject::FiscalCode(cf),
        Err(_) => EidasId::parse(&old.fiscal_number)
            .map(Subject::Eidas)
            .map_err(|e| format!("stored identifier: {e}"))?,
    };
    Ok(Person {
        subject,
        name: old.name,
        family_name: old.family_name,
        email: old.email,
        date_of_birth: old.date_of_birth,
        attributes: old.attributes,
    })
}

/// The Italian fiscal code of a stored principal of either form, if it has one.
pub fn stored_fiscal_code(json: &str) -> Option<FiscalCode> {
    match serde_json::from_str::<Stored>(json).ok()? {
        Stored::Current(p) => p.person.subject.fiscal_code().cloned(),
        Stored::Legacy(old) => FiscalCode::parse(&old.fiscal_number).ok(),
    }
}

/// The e-mail address the login released, from a stored principal of either form.
pub fn stored_email(json: &str) -> Option<String> {
    match serde_json::from_str::<Stored>(json).ok()? {
        Stored::Current(p) => p.person.email,
        Stored::Legacy(old) => old.email,
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Current(Principal),
    Legacy(LegacyIdentity),
}

/// The SAML identity as sessions and submissions stored it until principals came.
#[derive(Deserialize)]
struct LegacyIdentity {
    fiscal_number: String,
    name: Option<String>,
    family_name: Option<String>,
    email: Option<String>,
    date_of_birth: Option<NaiveDate>,
    level: Level,
    provider: String,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
}
