//! Entity: bytes of a citizen's quota held by an upload that is still streaming in. Made before
//! the first byte is read, turned into the stored file (or given back) when the upload ends; a
//! reservation left by a crash stops counting at `expires_at` and is then cleaned away.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "upload_reservations")]
pub struct Model {
    /// The id the file will have (`att-<uuid>`); its chunks are written under it meanwhile.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The administration the upload is for (its IPA code).
    pub administration: String,
    /// The key (`Principal::owner`) of the citizen uploading.
    pub owner: String,
    pub bytes: i64,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
