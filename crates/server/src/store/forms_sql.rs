//! [`FormStore`] over sea-orm: the `form_versions` table, scoped to one administration.

use istanze_domain::FormVersionId;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::forms::{FormStore, FormVersion};
use super::StoreError;
use crate::db::form_version::{self as row, Column, Entity};
use crate::db::scope::Scoped;

fn from_row(r: row::Model) -> Result<FormVersion, StoreError> {
    let version_id = FormVersionId::parse(&r.version_id).ok_or_else(|| StoreError::Corrupt {
        table: "form_versions",
        why: format!("version id {:?}", r.version_id),
    })?;
    Ok(FormVersion {
        form_id: r.form_id,
        version_id,
        declared_version: r.declared_version,
        definition: r.definition,
        source: r.source,
        stored_at: r.imported_at,
    })
}

impl FormStore for Scoped {
    async fn store(&self, v: FormVersion) -> Result<bool, StoreError> {
        let inserted = Entity::insert(row::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            administration: Set(self.admin().to_owned()),
            form_id: Set(v.form_id),
            version_id: Set(v.version_id.to_string()),
            declared_version: Set(v.declared_version),
            definition: Set(v.definition),
            source: Set(v.source),
            imported_at: Set(v.stored_at),
        })
        // The unique index decides: a version stored already (by an earlier start, or by
        // another process starting at the same moment) inserts nothing.
        .on_conflict(
            OnConflict::columns([Column::Administration, Column::FormId, Column::VersionId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(self)
        .await?;
        Ok(inserted > 0)
    }

    async fn version(
        &self,
        form_id: &str,
        version_id: &str,
    ) -> Result<Option<FormVersion>, StoreError> {
        Entity::find()
            .filter(Column::Administration.eq(self.admin()))
            .filter(Column::FormId.eq(form_id))
            .filter(Column::VersionId.eq(version_id))
            .one(self)
            .await?
            .map(from_row)
            .transpose()
    }

    async fn latest(&self) -> Result<Vec<FormVersion>, StoreError> {
        let rows = Entity::find()
            .filter(Column::Administration.eq(self.admin()))
            .order_by_asc(Column::FormId)
            .order_by_desc(Column::Id)
            .all(self)
            .await?;
        let mut out: Vec<FormVersion> = Vec::new();
        for r in rows {
            if out.last().is_none_or(|l| l.form_id != r.form_id) {
                out.push(from_row(r)?);
            }
        }
        Ok(out)
    }
}
