//! Form definitions as data: each administration's forms are stored as immutable,
//! content-addressed versions (`form_versions`). The files of `forms.dir` are imported at
//! start (a changed file becomes a new version, an unchanged one nothing); every submission
//! and draft records the version it was made with, and a draft is finished on that version
//! even after the form has changed or left the catalogue. `istanze forms check|import|export`
//! serve administrations that keep their forms in git. The versions are kept by a
//! [`FormStore`].

use std::path::Path;

use crate::error::ServerError;
use crate::store::forms::{FormStore, FormVersion};
use crate::store::StoreError;
use chrono::{DateTime, Utc};
use istanze_domain::FormVersionId;
use istanze_forms::{Form, FormCatalog};

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
    db: &impl FormStore,
    admin: &str,
    catalog: &FormCatalog,
    source: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Imported>, StoreError> {
    let mut out = Vec::new();
    for form in catalog.iter() {
        let new = db
            .store(FormVersion {
                form_id: form.id.clone(),
                version_id: form.version_id().clone(),
                declared_version: form.version.clone(),
                definition: form.source().to_owned(),
                source: format!("{source}/{}.json", form.id),
                stored_at: now,
            })
            .await?;
        if new {
            tracing::info!(administration = admin, form = %form.id,
                version = form.version_id().short(), "form version stored");
        }
        out.push(Imported {
            form_id: form.id.clone(),
            version_id: form.version_id().clone(),
            new,
        });
    }
    Ok(out)
}

/// The form `form_id` as version `version` was: the current one when it is that version,
/// otherwise the stored definition (checked again as at any load). `None` when the
/// administration never had that version.
pub async fn version(
    db: &impl FormStore,
    current: Option<&Form>,
    form_id: &str,
    version: &str,
) -> Result<Option<Form>, StoreError> {
    if let Some(form) = current.filter(|f| version.is_empty() || f.version_id().as_str() == version)
    {
        return Ok(Some(form.clone()));
    }
    if version.is_empty() {
        return Ok(None);
    }
    let Some(stored) = db.version(form_id, version).await? else {
        return Ok(None);
    };
    match Form::from_json(&stored.source, &stored.definition) {
        // The same words as the forms of the catalogue.
        Ok(form) => Ok(Some(match current {
            Some(c) => form.with_words(c.words().clone()),
            None => form.with_words(crate::i18n::form_words()),
        })),
        // Stored versions were checked when stored; one that a later, stricter loader refuses
        // must not stop a filing or a citizen's page: they go on with the current version.
        Err(e) => {
            tracing::error!(form = form_id, version, error = %e,
                "a stored form version no longer loads");
            Ok(None)
        }
    }
}

/// Writes the latest version of each form to `dir/<form_id>.json`, as it was written; returns
/// what was written.
pub async fn export(db: &impl FormStore, dir: &Path) -> Result<Vec<FormVersion>, ServerError> {
    let io = |e: std::io::Error| ServerError::Internal(format!("{}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    let latest = db.latest().await?;
    for v in &latest {
        std::fs::write(dir.join(format!("{}.json", v.form_id)), &v.definition).map_err(io)?;
    }
    Ok(latest)
}

#[cfg(test)]
mod tests {
    //! The service over a fake store: what import and version do is decided here, not by SQL.

    use std::sync::Mutex;

    use super::*;

    /// Form versions in memory, counting what is asked of it.
    #[derive(Default)]
    struct Fake {
        versions: Mutex<Vec<FormVersion>>,
        lookups: Mutex<usize>,
    }

    impl FormStore for Fake {
        async fn store(&self, v: FormVersion) -> Result<bool, StoreError> {
            let mut all = self.versions.lock().unwrap();
            let known = all
                .iter()
                .any(|x| x.form_id == v.form_id && x.version_id == v.version_id);
            if !known {
                all.push(v);
            }
            Ok(!known)
        }

        async fn version(
            &self,
            form_id: &str,
            version_id: &str,
        ) -> Result<Option<FormVersion>, StoreError> {
            *self.lookups.lock().unwrap() += 1;
            Ok(self
                .versions
                .lock()
                .unwrap()
                .iter()
                .find(|x| x.form_id == form_id && x.version_id.as_str() == version_id)
                .cloned())
        }

        async fn latest(&self) -> Result<Vec<FormVersion>, StoreError> {
            Ok(self.versions.lock().unwrap().clone())
        }
    }

    fn form(title: &str) -> Form {
        let json = serde_json::json!({
            "id": "prova", "version": "1", "title": title, "subject_template": "Prova",
            "classification": "1.1", "office": "Ufficio", "description": "Prova",
            "min_level": "SpidL2",
            "schema": {"type": "object", "properties": {
                "nome": {"type": "string", "title": "Nome"}}, "required": ["nome"]}
        });
        Form::from_json("prova.json", &json.to_string()).unwrap()
    }

    fn catalog(f: &Form) -> FormCatalog {
        FormCatalog::new(vec![("prova.json".into(), f.clone())]).unwrap()
    }

    #[tokio::test]
    async fn an_unchanged_form_is_stored_once_and_a_changed_one_again() {
        let store = Fake::default();
        let now = Utc::now();
        let first = form("Prima");
        let imported = import(&store, "c_b999", &catalog(&first), "forms", now)
            .await
            .unwrap();
        assert!(imported[0].new);
        let again = import(&store, "c_b999", &catalog(&first), "forms", now)
            .await
            .unwrap();
        assert!(!again[0].new, "the same content is the same version");
        let changed = import(&store, "c_b999", &catalog(&form("Seconda")), "forms", now)
            .await
            .unwrap();
        assert!(changed[0].new);
        assert_ne!(changed[0].version_id, imported[0].version_id);
        assert_eq!(store.versions.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_pinned_version_comes_from_the_store_and_the_current_one_does_not() {
        let store = Fake::default();
        let old = form("Prima");
        import(&store, "c_b999", &catalog(&old), "forms", Utc::now())
            .await
            .unwrap();
        let current = form("Seconda");
        let found = version(&store, Some(&current), "prova", old.version_id().as_str())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.title, "Prima");
        assert_eq!(*store.lookups.lock().unwrap(), 1);
        let same = version(
            &store,
            Some(&current),
            "prova",
            current.version_id().as_str(),
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(same.title, "Seconda");
        assert_eq!(
            *store.lookups.lock().unwrap(),
            1,
            "the current version is not looked up"
        );
        let never = version(&store, Some(&current), "prova", &"0".repeat(64))
            .await
            .unwrap();
        assert!(never.is_none(), "a version the administration never had");
    }
}
