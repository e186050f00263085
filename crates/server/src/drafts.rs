//! Drafts: what a citizen entered so far, saved on the server (one draft per citizen and form,
//! found again from any device), removed when the application is submitted, and deleted after
//! `drafts.expire_days` with a warning e-mail `drafts.warn_days` before.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use istanze_domain::Principal;
use istanze_forms::Form;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::db::draft;
use crate::error::ServerError;
use crate::state::AppState;
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
) -> Result<draft::Model, ServerError> {
    let email = principal.person.email.clone().or_else(|| {
        form.email_fields()
            .iter()
            .find_map(|p| data.pointer(p).and_then(Value::as_str).map(str::to_owned))
    });
    let expires = now + Duration::days(state.settings.drafts.expire_days.max(1));
    draft::Entity::insert(draft::ActiveModel {
        id: Set(state.ids.uuid().to_string()),
        administration: Set(tenant.id.to_string()),
        owner: Set(principal.owner()),
        form_id: Set(form.id.clone()),
        form_version: Set(form.version.clone()),
        form_version_id: Set(form.version_id().to_string()),
        data: Set(data.to_string()),
        email: Set(email),
        created_at: Set(now),
        updated_at: Set(now),
        expires_at: Set(expires),
        warned_at: Set(None),
    })
    .on_conflict(
        OnConflict::columns([
            draft::Column::Administration,
            draft::Column::Owner,
            draft::Column::FormId,
        ])
        .update_columns([
            draft::Column::FormVersion,
            draft::Column::FormVersionId,
            draft::Column::Data,
            draft::Column::Email,
            draft::Column::UpdatedAt,
            draft::Column::ExpiresAt,
            draft::Column::WarnedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(&state.scoped(&tenant.id))
    .await?;
    find(state, &tenant.id, &principal.owner(), &form.id)
        .await?
        .ok_or(ServerError::NotFound)
}

/// The citizen's draft of a form.
pub async fn find(
    state: &AppState,
    admin: &AdministrationId,
    owner: &str,
    form_id: &str,
) -> Result<Option<draft::Model>, ServerError> {
    Ok(draft::Entity::find()
        .filter(draft::Column::Administration.eq(admin.as_str()))
        .filter(draft::Column::Owner.eq(owner))
        .filter(draft::Column::FormId.eq(form_id))
        .one(&state.scoped(admin))
        .await?)
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
) -> Result<Vec<draft::Model>, ServerError> {
    Ok(draft::Entity::find()
        .filter(draft::Column::Administration.eq(admin.as_str()))
        .filter(draft::Column::Owner.eq(owner))
        .all(&state.scoped(admin))
        .await?)
}

/// Deletes the citizen's draft of a form (after submitting it, or on request).
pub async fn discard(
    db: &impl ConnectionTrait,
    admin: &AdministrationId,
    owner: &str,
    form_id: &str,
) -> Result<u64, ServerError> {
    Ok(draft::Entity::delete_many()
        .filter(draft::Column::Administration.eq(admin.as_str()))
        .filter(draft::Column::Owner.eq(owner))
        .filter(draft::Column::FormId.eq(form_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// The uploaded files that drafts of one administration still refer to, as (owner,
/// attachment id): kept by the upload purge only for the citizen whose draft names them.
pub async fn referenced_attachments(
    state: &AppState,
    admin: &AdministrationId,
) -> Result<HashSet<(String, String)>, ServerError> {
    let mut ids = HashSet::new();
    let drafts = draft::Entity::find()
        .filter(draft::Column::Administration.eq(admin.as_str()))
        .all(&state.scoped(admin))
        .await?;
    for d in drafts {
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
    let admin = tenant.id.as_str();
    let mut warned = 0;
    if state.settings.notifications.email.is_some() {
        let soon = now + Duration::days(state.settings.drafts.warn_days.max(0));
        let due = draft::Entity::find()
            .filter(draft::Column::Administration.eq(admin))
            .filter(draft::Column::WarnedAt.is_null())
            .filter(draft::Column::ExpiresAt.lte(soon))
            .filter(draft::Column::ExpiresAt.gt(now))
            .filter(draft::Column::Email.is_not_null())
            .all(&state.scoped(&tenant.id))
            .await?;
        for d in due {
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
            let claimed = draft::Entity::update_many()
                .col_expr(draft::Column::WarnedAt, Expr::value(Some(now)))
                .filter(draft::Column::Id.eq(&d.id))
                .filter(draft::Column::Administration.eq(admin))
                .filter(draft::Column::WarnedAt.is_null())
                .exec(&state.scoped(&tenant.id))
                .await?;
            if claimed.rows_affected != 1 {
                continue;
            }
            match crate::notify::email::deliver(state, to, &subject, text, None).await {
                Ok(()) => warned += 1,
                Err(crate::notify::email::Failure::Permanent(why)) => {
                    // Kept as warned: the address cannot be written to.
                    tracing::warn!(reason = %why, "draft warning impossible");
                }
                Err(e) => {
                    // Released: tried again at the next pass.
                    tracing::warn!(error = %e, "draft warning not sent");
                    draft::Entity::update_many()
                        .col_expr(
                            draft::Column::WarnedAt,
                            Expr::value(Option::<DateTime<Utc>>::None),
                        )
                        .filter(draft::Column::Id.eq(&d.id))
                        .filter(draft::Column::Administration.eq(admin))
                        .exec(&state.scoped(&tenant.id))
                        .await?;
                }
            }
        }
    }
    let deleted = draft::Entity::delete_many()
        .filter(draft::Column::Administration.eq(admin))
        .filter(draft::Column::ExpiresAt.lte(now))
        .exec(&state.scoped(&tenant.id))
        .await?
        .rows_affected;
    Ok((warned, deleted))
}
