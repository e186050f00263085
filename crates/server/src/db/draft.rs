//! Entity: a citizen's draft of a form, kept on the server so it can be resumed from any
//! device. One per citizen and form: saving again updates it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "drafts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The administration (IPA code) the row belongs to.
    pub administration: String,
    /// The citizen's key, `Principal::owner`.
    pub owner: String,
    pub form_id: String,
    pub form_version: String,
    /// The content id of the form version it was made with (empty: made before versions).
    pub form_version_id: String,
    /// The answers so far, as JSON (not validated).
    pub data: String,
    /// Where to warn before the draft expires, if known.
    pub email: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub warned_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
