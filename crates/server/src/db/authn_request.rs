//! Entity: an AuthnRequest this server issued and has not seen answered yet. A response is
//! accepted only for a request listed here and unused; using it marks it, once.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "authn_requests")]
pub struct Model {
    /// The AuthnRequest ID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The administration (IPA code) the row belongs to.
    pub administration: String,
    /// Entity id of the IdP the request went to.
    pub idp: String,
    /// Requested level (1-3).
    pub level: i16,
    /// Local path to go back to after login.
    pub next: String,
    /// SHA-256 of the login cookie set on the browser that started the login: the response
    /// is accepted only from that browser (no login CSRF with someone else's response).
    pub binding: String,
    pub created_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
