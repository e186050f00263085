//! Drafts: what a citizen entered so far, saved on the server (one draft per citizen and form,
//! found again from any device), removed when the application is submitted, and deleted after
//! `drafts.expire_days` with a warning e-mail `drafts.warn_days` before.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use istanze_domain::Principal;
use istanze_forms::Form;
use serde_json::Value;

use crate::store::drafts::{Draft, DraftContent, DraftStore};
use crate::store::StoreError;
use crate::tenant::Tenant;

/// Saves `data` as the citizen's draft of `form` (replacing an earlier one): `new_id` names it
/// if it is the first, and it lives until `expires_at`.
pub async fn save(
    store: &impl DraftStore,
    principal: &Principal,
    form: &Form,
    data: &Value,
    new_id: String,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Draft, StoreError> {
    let email = principal.person.email.clone().or_else(|| {
        form.email_fields()
            .iter()
            .find_map(|p| data.pointer(p).and_then(Value::as_str).map(str::to_owned))
    });
    let owner = principal.owner();
    let version_id = form.version_id().to_string();
    let content = DraftContent {
        new_id,
        owner: &owner,
        form_id: &form.id,
        form_version: &form.version,
        form_version_id: &version_id,
        data: data.to_string(),
        email,
        expires_at,
    };
    store.save(content, now).await
}

/// The answers of the citizen's draft of a form (an empty object when there is none).
pub async fn data(
    store: &impl DraftStore,
    owner: &str,
    form_id: &str,
) -> Result<Value, StoreError> {
    Ok(store
        .find(owner, form_id)
        .await?
        .and_then(|d| serde_json::from_str(&d.data).ok())
        .unwrap_or_else(|| Value::Object(Default::default())))
}

/// Deletes the citizen's draft of a form (on request).
pub async fn discard(
    store: &impl DraftStore,
    owner: &str,
    form_id: &str,
) -> Result<u64, StoreError> {
    store.discard(owner, form_id).await
}

/// The uploaded files that drafts of one administration still refer to, as (owner,
/// attachment id): kept by the upload purge only for the citizen whose draft names them.
pub async fn referenced_attachments(
    store: &impl DraftStore,
) -> Result<HashSet<(String, String)>, StoreError> {
    let mut ids = HashSet::new();
    for d in store.all_drafts().await? {
        let data: Value = serde_json::from_str(&d.data).unwrap_or(Value::Null);
        collect(&data, &d.owner, &mut ids);
    }
    Ok(ids)
}

fn collect(v: &Value, owner: &str, ids: &mut HashSet<(String, String)>) {
    match v {
        Value::String(s) if istanze_forms::attachment::is_attachment_id(s) => {
            ids.insert((owner.to_owned(), s.clone()));
        }
        Value::Object(o) => o.values().for_each(|x| collect(x, owner, ids)),
        Value::Array(a) => a.iter().for_each(|x| collect(x, owner, ids)),
        _ => {}
    }
}

/// Warns the citizens of `tenant` whose drafts expire within `warn_days` (once each) and
/// deletes its expired drafts. Returns (warned, deleted).
pub async fn warn_and_expire(
    store: &impl DraftStore,
    tenant: &Tenant,
    warn_days: i64,
    now: DateTime<Utc>,
) -> Result<(u64, u64), StoreError> {
    let mut warned = 0;
    if tenant.settings.notifications.email.is_some() {
        let soon = now + Duration::days(warn_days.max(0));
        for d in store.to_warn(now, soon).await? {
            let Some(to) = &d.email else { continue };
            let title = tenant
                .forms
                .get(&d.form_id)
                .map_or(d.form_id.clone(), |f| f.title.clone());
            let when = istanze_protocol::rome::local(d.expires_at).format("%d/%m/%Y");
            let text = format!(
                "Gentile cittadina, gentile cittadino,\r\n\r\nla bozza della domanda \
                 \"{title}\" sarà cancellata il {when}. Per non perderla, completala e inviala \
                 da qui:\r\n{}/servizi/{}\r\n\r\n{}\r\n",
                tenant.public_url,
                d.form_id,
                tenant.admin().name
            );
            let subject = format!("La tua bozza scade il {when}: {title}");
            // Claimed first: several processes run housekeeping, one of them warns.
            if !store.claim_warning(&d.id, now).await? {
                continue;
            }
            match crate::notify::email::deliver(tenant, to, &subject, text, None).await {
                Ok(()) => warned += 1,
                Err(crate::notify::email::Failure::Permanent(why)) => {
                    // Kept as warned: the address cannot be written to.
                    tracing::warn!(reason = %why, "draft warning impossible");
                }
                Err(e) => {
                    // Released: tried again at the next pass.
                    tracing::warn!(error = %e, "draft warning not sent");
                    store.release_warning(&d.id).await?;
                }
            }
        }
    }
    let deleted = store.delete_expired(now).await?;
    Ok((warned, deleted))
}

#[cfg(test)]
mod tests {
    //! The drafts service over a fake store: which answers and which files it finds is
    //! decided here, not by SQL.

    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    struct Fake(Mutex<Vec<Draft>>);

    fn draft(owner: &str, form_id: &str, data: Value) -> Draft {
        let t = DateTime::<Utc>::UNIX_EPOCH;
        Draft {
            id: format!("{owner}-{form_id}"),
            owner: owner.into(),
            form_id: form_id.into(),
            form_version: "1".into(),
            form_version_id: String::new(),
            data: data.to_string(),
            email: None,
            created_at: t,
            updated_at: t,
            expires_at: t,
            warned_at: None,
        }
    }

    impl DraftStore for Fake {
        async fn save(
            &self,
            c: DraftContent<'_>,
            _now: DateTime<Utc>,
        ) -> Result<Draft, StoreError> {
            let d = draft(c.owner, c.form_id, serde_json::from_str(&c.data).unwrap());
            self.0.lock().unwrap().push(d.clone());
            Ok(d)
        }
        async fn find(&self, owner: &str, form_id: &str) -> Result<Option<Draft>, StoreError> {
            let all = self.0.lock().unwrap();
            Ok(all
                .iter()
                .find(|d| d.owner == owner && d.form_id == form_id)
                .cloned())
        }
        async fn drafts_of(&self, owner: &str) -> Result<Vec<Draft>, StoreError> {
            let all = self.0.lock().unwrap();
            Ok(all.iter().filter(|d| d.owner == owner).cloned().collect())
        }
        async fn all_drafts(&self) -> Result<Vec<Draft>, StoreError> {
            Ok(self.0.lock().unwrap().clone())
        }
        async fn discard(&self, owner: &str, form_id: &str) -> Result<u64, StoreError> {
            let mut all = self.0.lock().unwrap();
            let before = all.len();
            all.retain(|d| !(d.owner == owner && d.form_id == form_id));
            Ok((before - all.len()) as u64)
        }
        async fn to_warn(
            &self,
            _now: DateTime<Utc>,
            _by: DateTime<Utc>,
        ) -> Result<Vec<Draft>, StoreError> {
            Ok(Vec::new())
        }
        async fn claim_warning(&self, _id: &str, _now: DateTime<Utc>) -> Result<bool, StoreError> {
            Ok(false)
        }
        async fn release_warning(&self, _id: &str) -> Result<(), StoreError> {
            Ok(())
        }
        async fn delete_expired(&self, _now: DateTime<Utc>) -> Result<u64, StoreError> {
            Ok(0)
        }
    }

    const FILE: &str = "att-00000000-0000-4000-8000-000000000001";

    #[tokio::test]
    async fn no_draft_is_an_empty_object_and_a_draft_its_answers() {
        let store = Fake::default();
        assert_eq!(
            data(&store, "RSSMRA85T10A562S", "patrocinio")
                .await
                .unwrap(),
            serde_json::json!({})
        );
        store.0.lock().unwrap().push(draft(
            "RSSMRA85T10A562S",
            "patrocinio",
            serde_json::json!({"evento": {"titolo": "Festa"}}),
        ));
        assert_eq!(
            data(&store, "RSSMRA85T10A562S", "patrocinio")
                .await
                .unwrap()["evento"]["titolo"],
            "Festa"
        );
        assert_eq!(
            data(&store, "BNCLCU92M55F205G", "patrocinio")
                .await
                .unwrap(),
            serde_json::json!({}),
            "another citizen's draft is not theirs"
        );
    }

    #[tokio::test]
    async fn a_draft_keeps_only_its_own_citizens_files_and_only_file_references() {
        let store = Fake::default();
        store.0.lock().unwrap().extend([
            draft(
                "RSSMRA85T10A562S",
                "patrocinio",
                serde_json::json!({"evento": {"programma": FILE, "titolo": "att-no"},
                                   "righe": [{"doc": FILE}]}),
            ),
            draft("BNCLCU92M55F205G", "concorso", serde_json::json!({"x": 1})),
        ]);
        let kept = referenced_attachments(&store).await.unwrap();
        assert_eq!(
            kept,
            HashSet::from([("RSSMRA85T10A562S".to_owned(), FILE.to_owned())])
        );
    }
}
