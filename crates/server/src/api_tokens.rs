//! Staff access to the office API without a browser: personal tokens and OAuth2 client
//! credentials (RFC 6749 §4.4), each made by a member of staff for themselves and scoped to
//! some of the roles they hold.
//!
//! A credential always acts for the member who made it, with the roles it names *among those
//! the member still holds at each request*: revoking a role or a person's last grant takes it
//! from their tokens at once, and no credential can do more than its person. Credentials are
//! `ist_<id>_<secret>`: the id is public (the OAuth2 `client_id`), only the secret's SHA-256 is
//! stored, compared in constant time. Personal tokens last at most a year; a client's access
//! token an hour; revoking a client revokes the access tokens it obtained.

use chrono::{DateTime, Duration, Utc};
use istanze_domain::Role;

use crate::store::staff::Grant;
use crate::store::tokens::{Credential, TokenStore};
use crate::store::StoreError;

/// The longest life of a personal token, in days.
pub const MAX_DAYS: i64 = 365;
/// The life of a client's access token, in seconds.
pub const ACCESS_SECONDS: i64 = 3600;
/// The longest name of a credential.
pub const MAX_NAME: usize = 60;

/// What kind of credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Used as a bearer token as it is.
    Personal,
    /// An OAuth2 client: exchanged for access tokens, never a bearer itself.
    Client,
    /// Obtained by a client.
    Access,
}

impl Kind {
    pub const fn code(self) -> &'static str {
        match self {
            Kind::Personal => "personal",
            Kind::Client => "client",
            Kind::Access => "access",
        }
    }
}

/// Why a credential was refused or not made.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// Not a credential of this administration, a wrong secret, expired or revoked: one
    /// answer for all, so that a caller learns nothing of which.
    #[error("invalid or expired credential")]
    Invalid,
    #[error("a credential needs a name of 1 to {MAX_NAME} characters")]
    Name,
    #[error("a credential needs at least one role")]
    NoRoles,
    /// A role its maker does not hold here.
    #[error("the role {} is not held", .0.code())]
    NotHeld(Role),
    #[error("a personal token lasts 1 to {MAX_DAYS} days")]
    Days,
    /// An access token asked for roles its client does not have.
    #[error("a scope beyond the client's roles")]
    Scope,
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// A credential just made: its stored row, and the whole credential, shown once.
#[derive(Debug)]
pub struct Made {
    pub credential: Credential,
    pub secret: String,
}

/// Who makes a credential, and the roles they hold.
#[derive(Debug, Clone, Copy)]
pub struct Maker<'a> {
    /// The fiscal code.
    pub person: &'a str,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub grants: &'a [Grant],
}

/// The roles of a credential, as stored.
pub fn roles_of(c: &Credential) -> Vec<Role> {
    c.roles
        .split(',')
        .filter_map(|r| Role::parse(r).ok())
        .collect()
}

fn split(token: &str) -> Option<(&str, &str)> {
    let rest = token.strip_prefix("ist_")?;
    let (id, secret) = rest.split_once('_')?;
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hex(id, 16) && hex(secret, 64)).then_some((id, secret))
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Makes a credential of `kind` for `maker`: `token` draws the random halves (hex of n bytes).
#[allow(clippy::too_many_arguments)]
pub async fn make(
    store: &impl TokenStore,
    maker: Maker<'_>,
    kind: Kind,
    name: &str,
    roles: &[Role],
    days: Option<i64>,
    token: &dyn Fn(usize) -> String,
    now: DateTime<Utc>,
) -> Result<Made, TokenError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(TokenError::Name);
    }
    if roles.is_empty() {
        return Err(TokenError::NoRoles);
    }
    if let Some(r) = roles
        .iter()
        .find(|r| !maker.grants.iter().any(|g| g.role == **r))
    {
        return Err(TokenError::NotHeld(*r));
    }
    let expires_at = match (kind, days) {
        (Kind::Personal, Some(d)) if (1..=MAX_DAYS).contains(&d) => Some(now + Duration::days(d)),
        (Kind::Personal, _) => return Err(TokenError::Days),
        (Kind::Access, _) => Some(now + Duration::seconds(ACCESS_SECONDS)),
        (Kind::Client, _) => None,
    };
    let mut codes: Vec<&str> = Vec::new();
    for r in roles {
        if !codes.contains(&r.code()) {
            codes.push(r.code());
        }
    }
    let (id, secret) = (token(8), token(32));
    let credential = Credential {
        id: id.clone(),
        administration: String::new(),
        kind: kind.code().to_owned(),
        person: maker.person.to_owned(),
        given_name: maker.given_name.to_owned(),
        family_name: maker.family_name.to_owned(),
        name: name.to_owned(),
        secret_sha256: crate::random::sha256_hex(secret.as_bytes()),
        roles: codes.join(","),
        parent: None,
        created_at: now,
        expires_at,
        revoked_at: None,
    };
    store.add_credential(credential.clone()).await?;
    Ok(Made {
        credential,
        secret: format!("ist_{id}_{secret}"),
    })
}

/// The live credential `token` is, of one of `kinds`.
async fn live(
    store: &impl TokenStore,
    token: &str,
    kinds: &[Kind],
    now: DateTime<Utc>,
) -> Result<Credential, TokenError> {
    let (id, secret) = split(token).ok_or(TokenError::Invalid)?;
    let c = store.credential(id).await?.ok_or(TokenError::Invalid)?;
    let right = same(
        &crate::random::sha256_hex(secret.as_bytes()),
        &c.secret_sha256,
    );
    let alive = c.revoked_at.is_none() && c.expires_at.is_none_or(|e| e > now);
    if !(right && alive && kinds.iter().any(|k| k.code() == c.kind)) {
        return Err(TokenError::Invalid);
    }
    if let Some(parent) = &c.parent {
        // An access token dies with its client.
        let p = store.credential(parent).await?.ok_or(TokenError::Invalid)?;
        if p.revoked_at.is_some() {
            return Err(TokenError::Invalid);
        }
    }
    Ok(c)
}

/// The credential a bearer token is (a personal token or a client's access token).
pub async fn bearer(
    store: &impl TokenStore,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Credential, TokenError> {
    live(store, token, &[Kind::Personal, Kind::Access], now).await
}

/// The OAuth2 client credentials grant: an access token for client `client_id` (the
/// credential's `ist_<id>` part, or the whole credential) with `client_secret`, with the
/// client's roles or those of `scope` among them.
pub async fn client_credentials(
    store: &impl TokenStore,
    client_id: &str,
    client_secret: &str,
    scope: Option<&str>,
    token: &dyn Fn(usize) -> String,
    now: DateTime<Utc>,
) -> Result<Made, TokenError> {
    // The secret as the credentials page shows it (the whole credential), or its secret half
    // alone; either way it must be the credential `client_id` names.
    let whole = if client_secret.starts_with("ist_") {
        client_secret.to_owned()
    } else {
        format!("{client_id}_{client_secret}")
    };
    let named = split(&whole).map(|(id, _)| format!("ist_{id}"));
    if named.as_deref() != Some(client_id) {
        return Err(TokenError::Invalid);
    }
    let client = live(store, &whole, &[Kind::Client], now).await?;
    let roles = match scope.map(str::split_whitespace) {
        None => client.roles.clone(),
        Some(asked) => {
            let held: Vec<&str> = client.roles.split(',').collect();
            let asked: Vec<&str> = asked.collect();
            if asked.is_empty() || asked.iter().any(|r| !held.contains(r)) {
                return Err(TokenError::Scope);
            }
            asked.join(",")
        }
    };
    let (id, secret) = (token(8), token(32));
    let credential = Credential {
        id: id.clone(),
        administration: String::new(),
        kind: Kind::Access.code().to_owned(),
        person: client.person.clone(),
        given_name: client.given_name.clone(),
        family_name: client.family_name.clone(),
        name: client.name.clone(),
        secret_sha256: crate::random::sha256_hex(secret.as_bytes()),
        roles,
        parent: Some(client.id.clone()),
        created_at: now,
        expires_at: Some(now + Duration::seconds(ACCESS_SECONDS)),
        revoked_at: None,
    };
    store.add_credential(credential.clone()).await?;
    Ok(Made {
        credential,
        secret: format!("ist_{id}_{secret}"),
    })
}

/// The personal tokens and clients `person` made, newest first.
pub async fn of_person(
    store: &impl TokenStore,
    person: &str,
) -> Result<Vec<Credential>, TokenError> {
    Ok(store.credentials_of(person).await?)
}

/// Revokes `person`'s credential `id` (a client's access tokens with it), at `now`; `false`
/// when they have no such live credential.
pub async fn revoke(
    store: &impl TokenStore,
    person: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<bool, TokenError> {
    Ok(store.revoke_credential(person, id, now).await?)
}

/// `grants` narrowed to the roles `credential` names.
pub fn narrowed(grants: Vec<Grant>, credential: &Credential) -> Vec<Grant> {
    let roles = roles_of(credential);
    grants
        .into_iter()
        .filter(|g| roles.contains(&g.role))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_credentials_are_looked_up() {
        let id = "0123456789abcdef";
        let secret = "ab".repeat(32);
        assert_eq!(
            split(&format!("ist_{id}_{secret}")),
            Some((id, secret.as_str()))
        );
        for bad in [
            format!("{id}_{secret}"),
            format!("ist_{id}{secret}"),
            format!("ist_{}_{secret}", &id[1..]),
            format!("ist_{id}_{}", &secret[1..]),
            format!("ist_{id}_{}z", &secret[1..]),
            format!("ist_{id}_{secret}_x"),
        ] {
            assert_eq!(split(&bad), None, "{bad}");
        }
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
