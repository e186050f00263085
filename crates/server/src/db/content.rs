//! The bytes of files kept in the database, in chunks of [`CHUNK`] bytes
//! (`attachment_chunks`), written and read one chunk at a time. Files stored before chunks
//! existed have their bytes whole in `attachments.content`, read by [`whole`].

use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
};

use super::{attachment, attachment_chunk};

/// The size of a chunk: big enough that a file of tens of megabytes is a few hundred rows,
/// small enough that one is never a burden to hold.
pub const CHUNK: usize = 256 * 1024;

/// Stores chunk `seq` of file `id` of administration `admin`.
pub async fn write_chunk(
    db: &impl ConnectionTrait,
    admin: &str,
    id: &str,
    seq: i32,
    data: Vec<u8>,
) -> Result<(), DbErr> {
    attachment_chunk::Entity::insert(attachment_chunk::ActiveModel {
        attachment_id: Set(id.to_owned()),
        seq: Set(seq),
        administration: Set(admin.to_owned()),
        data: Set(data),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Chunk `seq` of file `id`, if there is one.
pub async fn chunk(
    db: &impl ConnectionTrait,
    admin: &str,
    id: &str,
    seq: i32,
) -> Result<Option<Vec<u8>>, DbErr> {
    attachment_chunk::Entity::find_by_id((id.to_owned(), seq))
        .filter(attachment_chunk::Column::Administration.eq(admin))
        .select_only()
        .column(attachment_chunk::Column::Data)
        .into_tuple()
        .one(db)
        .await
}

/// The bytes of a file stored whole in `attachments.content` (before chunks), if any.
pub async fn whole(
    db: &impl ConnectionTrait,
    admin: &str,
    id: &str,
) -> Result<Option<Vec<u8>>, DbErr> {
    // The column is not in the entity: listing files never loads their bytes.
    let found: Option<Option<Vec<u8>>> = attachment::Entity::find_by_id(id)
        .filter(attachment::Column::Administration.eq(admin))
        .select_only()
        .column_as(Expr::col(Alias::new("content")), "content")
        .into_tuple()
        .one(db)
        .await?;
    Ok(found.flatten())
}

/// Deletes every chunk of file `id`.
pub async fn delete_chunks(
    conn: &impl ConnectionTrait,
    admin: &str,
    id: &str,
) -> Result<(), DbErr> {
    attachment_chunk::Entity::delete_many()
        .filter(attachment_chunk::Column::Administration.eq(admin))
        .filter(attachment_chunk::Column::AttachmentId.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}
