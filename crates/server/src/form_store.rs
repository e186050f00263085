//! Form definitions as data: each administration's forms are stored as immutable,
//! content-addressed versions (`form_versions`). The files of `forms.dir` are imported at
//! start (a changed file becomes a new version, an unchanged one nothing); every submission
//! and draft records the version it was made with, and a draft is finished on that version
//! even after the form has changed or left the catalogue. `istanze forms check|import|export`
//! serve administrations that keep their forms in git.

use std::path::Path;

use chrono::{DateTime, Utc};
use istanze_domain::FormVersionId;
use istanze_forms::{Form, FormCatalog};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::db::form_version;
use crate::db::scope::Scoped;
use crate::error::ServerError;

/// What an import did with one form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub form_id: String,
    pub version_id: FormVersionId,
    /// Whether this version is new (false: it was stored already).
    pub new: bool,
}

/// Stores every form of `catalog` not stored yet, as the administration's version of it.
pub async fn import(
    db: &Scoped,
    catalog: &FormCatalog,
    source: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Imported>, ServerError> {
    let mut out = Vec::new();
    for form in catalog.iter() {
        let row = form_version::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            administration: Set(db.admin().to_owned()),
            form_id: Set(form.id.clone()),
            version_id: Set(form.version_id().to_string()),
            declared_version: Set(form.version.clone()),
            definition: Set(form.source().to_owned()),
            source: Set(format!("{source}/{}.json", form.id)),
            imported_at: Set(now),
        };
        // The unique index decides: a version stored already (by an earlier start, or by
        // another process starting at the same moment) inserts nothing.
        let inserted = form_version::Entity::insert(row)
            .on_conflict(
                sea_orm::sea_query::OnConflict::columns([
                    form_version::Column::Administration,
                    form_version::Column::FormId,
                    form_version::Column::VersionId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        if inserted > 0 {
            tracing::info!(administration = db.admin(), form = %form.id,
                version = form.version_id().short(), "form version stored");
        }
        out.push(Imported {
            form_id: form.id.clone(),
            version_id: form.version_id().clone(),
            new: inserted > 0,
        });
    }
    Ok(out)
}

/// The form `form_id` as version `version` was: the current one when it is that version,
/// otherwise the stored definition (checked again as at any load). `None` when the
/// administration never had that version.
pub async fn version(
    db: &Scoped,
    current: Option<&Form>,
    form_id: &str,
    version: &str,
) -> Result<Option<Form>, ServerError> {
    if let Some(form) = current.filter(|f| version.is_empty() || f.version_id().as_str() == version)
    {
        return Ok(Some(form.clone()));
    }
    if version.is_empty() {
        return Ok(None);
    }
    let row = form_version::Entity::find()
        .filter(form_version::Column::Administration.eq(db.admin()))
        .filter(form_version::Column::FormId.eq(form_id))
        .filter(form_version::Column::VersionId.eq(version))
        .one(db)
        .await?;
    let Some(row) = row else { return Ok(None) };
    match Form::from_json(&row.source, &row.definition) {
        Ok(form) => Ok(Some(form)),
        // Stored versions were checked when stored; one that a later, stricter loader refuses
        // must not stop a filing or a citizen's page: they go on with the current version.
        Err(e) => {
            tracing::error!(administration = db.admin(), form = form_id, version,
                error = %e, "a stored form version no longer loads");
            Ok(None)
        }
    }
}

/// The latest stored version of each form of the administration, by form id.
pub async fn latest(db: &Scoped) -> Result<Vec<form_version::Model>, ServerError> {
    let rows = form_version::Entity::find()
        .filter(form_version::Column::Administration.eq(db.admin()))
        .order_by_asc(form_version::Column::FormId)
        .order_by_desc(form_version::Column::Id)
        .all(db)
        .await?;
    let mut out: Vec<form_version::Model> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|l| l.form_id != r.form_id) {
            out.push(r);
        }
    }
    Ok(out)
}

/// Writes the latest version of each form to `dir/<form_id>.json`, as it was written; returns
/// what was written.
pub async fn export(db: &Scoped, dir: &Path) -> Result<Vec<form_version::Model>, ServerError> {
    let io = |e: std::io::Error| ServerError::Internal(format!("{}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    let latest = latest(db).await?;
    for v in &latest {
        std::fs::write(dir.join(format!("{}.json", v.form_id)), &v.definition).map_err(io)?;
    }
    Ok(latest)
}
