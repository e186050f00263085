//! Entity: a file a citizen uploaded for a file field, before and after it becomes part of a
//! submitted application (`submission_id`), and the queries on it. The bytes are in
//! `attachment_chunks` (database storage; see `db::content`) or in the file named `path` under
//! the attachments directory. Files stored before chunks existed have them in the column
//! `content`, left out of the entity so that listing files never loads their bytes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    /// `att-<uuid>`: the value of the file field in the application data.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The administration (IPA code) the row belongs to.
    pub administration: String,
    /// The key (`Principal::owner`) of the citizen who uploaded it.
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
    pub path: Option<String>,
    pub submission_id: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
