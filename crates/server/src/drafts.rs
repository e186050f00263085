//! Drafts: what a citizen entered so far, saved on the server (one draft per citizen and form,
//! found again from any device), removed when the application is submitted, and deleted after
//! `drafts.expire_days` with a warning e-mail `drafts.warn_days` before.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use istanze_domain::Principal;
use istanze_forms::Form;
use serde_json::Value;

use crate::error::ServerError;
use crate::state::AppState;
use crate::store::drafts::{Draft, DraftContent, DraftStore};
use crate::tenant::Tenant;
use istanze_domain::AdministrationId;

/// Saves `data` as the citizen's draft of `form` (replacing an earlier one).
pub async fn save(
    state: &AppState,
    tenant: &Tenant,
    principal: &Principal,
    form: &Form,
    data: &Value,
    now: DateTime<Utc>,
) -> Result<Draft, ServerError> {
    let email = principal.person.email.clone().or_else(|| {
        form.email_fields()
            .iter()
            .find_map(|p| data.pointer(p).and_then(Value::as_str).map(str::to_owned))
    });
    let owner = principal.owner();
    let version_id = form.version_id().to_string();
    let content = DraftContent {
        new_id: state.ids.uuid().to_string(),
        owner: &owner,
        form_id: &form.id,
        form_version: &form.version,
        form_version_id: &version_id,
        data: data.to_string(),
        email,
        expires_at: now + Duration::days(state.settings.drafts.expire_days.max(1)),
    };
    Ok(state.scoped(&tenant.id).save(content, now).await?)
}

/// The citizen's draft of a form.
pub async fn find(
    state: &AppState,
    admin: &AdministrationId,
    owner: &str,
    form_id: &str,
) -> Result<Option<Draft>, ServerError> {
    Ok(state.scoped(admin).find(owner, form_id).await?)
}

/// The answers of the citizen's draft of a form (an empty object when there is none).
pub async fn data(
    state: &AppState,
    admin: &AdministrationId,
    owner: &str,
    form_id: &str,
) -> Result<Value, ServerError> {
    Ok(find(state, admin, owner, form_id)
        .await?
        .and_then(|d| serde_json::from_str(&d.data).ok())
        .unwrap_or_else(|| Value::Object(Default::default())))
}

/// The citizen's drafts.
pub async fn of_owner(
    state: &AppState,
    admin: &AdministrationId,
    owner: &str,
) -> Result<Vec<Draft>, ServerError> {
    Ok(state.scoped(admin).drafts_of(owner).await?)
}

/// Deletes the citizen's draft of a form (on request).
pub async fn discard(
    store: &impl DraftStore,
    owner: &str,
    form_id: &str,
) -> Result<u64, ServerError> {
    Ok(store.discard(owner, form_id).await?)
}

/// The uploaded files that drafts of one administration still refer to, as (owner,
/// attachment id): kept by the upload purge only for the citizen whose draft names them.
pub async fn referenced_attachments(
    store: &impl DraftStore,
) -> Result<HashSet<(String, String)>, ServerError> {
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

/// Warns the citizens whose drafts expire within `drafts.warn_days` (once each) and deletes
/// the expired drafts, administration by administration. Returns (warned, deleted).
pub async fn warn_and_expire(
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<(u64, u64), ServerError> {
    let (mut warned, mut deleted) = (0, 0);
    for tenant in state.tenants.iter() {
        let (w, d) = warn_and_expire_in(state, tenant, now).await?;
        warned += w;
        deleted += d;
    }
    Ok((warned, deleted))
}

async fn warn_and_expire_in(
    state: &AppState,
    tenant: &Tenant,
    now: DateTime<Utc>,
) -> Result<(u64, u64), ServerError> {
    let store = state.scoped(&tenant.id);
    let mut warned = 0;
    if tenant.settings.notifications.email.is_some() {
        let soon = now + Duration::days(state.settings.drafts.warn_days.max(0));
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
