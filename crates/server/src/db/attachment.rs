//! Entity: a file a citizen uploaded for a file field, before and after it becomes part of a
//! submitted application (`submission_id`). The bytes are in `content` (database storage) or in
//! the file named `path` under the attachments directory.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    /// `att-<uuid>`: the value of the file field in the application data.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Fiscal number of the citizen who uploaded it.
    pub owner: String,
    pub form_id: String,
    /// JSON pointer of the file field.
    pub field: String,
    /// The name the citizen's file had, cleaned for display and for the register.
    pub file_name: String,
    /// Recognised from the bytes.
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub content: Option<Vec<u8>>,
    pub path: Option<String>,
    pub submission_id: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
