//! Entity: a login session (a citizen, or staff). The cookie holds a random token; the table
//! holds only its SHA-256, so a copy of the database cannot be used to hijack sessions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    /// SHA-256 (hex) of the cookie token.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The administration (IPA code) the row belongs to.
    pub administration: String,
    /// The `Principal` as JSON (or, for sessions from before principals, the SAML identity).
    pub identity: String,
    /// Synchronizer token for HTML form posts.
    pub csrf: String,
    /// The SAML session (for single logout): IdP, NameID, NameQualifier, SessionIndex.
    pub saml_idp: Option<String>,
    pub saml_name_id: Option<String>,
    pub saml_name_qualifier: Option<String>,
    pub saml_session_index: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
