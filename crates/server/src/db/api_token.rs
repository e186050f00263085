//! Entity: a staff API credential — a personal token, an OAuth2 client, or an access token a
//! client obtained (see [`crate::api_tokens`]).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    /// The public half of the credential (16 hex digits), also the OAuth2 `client_id`'s.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub administration: String,
    /// `personal`, `client` or `access`.
    pub kind: String,
    /// The fiscal code of the member of staff it acts for.
    pub person: String,
    /// Their name, as communications sent through it name them.
    pub given_name: String,
    pub family_name: String,
    /// What its owner called it.
    pub name: String,
    /// SHA-256 (hex) of the secret half.
    pub secret_sha256: String,
    /// The role codes it may use, comma-separated (a subset of its person's).
    pub roles: String,
    /// For an access token, the client that obtained it.
    pub parent: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
