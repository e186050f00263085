//! `/ufficio/credenziali`: a member's own API credentials — personal tokens and OAuth2
//! clients — listed with their roles, dates and state, made (the secret is shown once, on the
//! answer to the form, never in an address) and revoked.

use actix_web::{web, HttpResponse};
use askama::Template;
use istanze_domain::Role;

use crate::api_tokens::{self, Kind, Maker, TokenError};
use crate::error::ServerError;
use crate::state::AppState;
use crate::web::guards::StaffMember;
use crate::web::see_other;
use crate::web::tenant::Here;
use crate::web::urlencoded::FormFields;
use crate::web::views::Page;

/// A credential as the page lists it.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub name: String,
    /// "Token personale" or "Client OAuth2".
    pub kind: String,
    pub roles: String,
    pub created: String,
    pub expires: String,
    pub revoked: bool,
}

/// A credential just made, shown once.
#[derive(Debug, Clone)]
pub struct Shown {
    pub client: bool,
    /// The client's id, or empty for a personal token.
    pub client_id: String,
    pub secret: String,
}

#[derive(Template)]
#[template(path = "office_credentials.html")]
pub struct CredentialsView {
    pub page: Page,
    pub rows: Vec<Row>,
    /// The member's roles: (code, name).
    pub roles: Vec<(String, String)>,
    pub made: Option<Shown>,
    pub problem: Option<String>,
    pub revoked: bool,
    /// The token endpoint's address, for clients.
    pub token_url: String,
}

async fn view(
    state: &AppState,
    here: &Here,
    staff: &StaffMember,
) -> Result<CredentialsView, ServerError> {
    let person = super::cases::member(staff)?;
    let db = state.scoped(&here.tenant.id);
    let time = crate::web::citizen::pages::italian_time;
    let now = state.clock.now();
    let rows = api_tokens::of_person(&db, &person)
        .await?
        .into_iter()
        .map(|c| Row {
            kind: crate::i18n::tr(if c.kind == Kind::Client.code() {
                "cred-client"
            } else {
                "cred-personale"
            }),
            roles: api_tokens::roles_of(&c)
                .into_iter()
                .map(super::role_label)
                .collect::<Vec<_>>()
                .join(", "),
            created: time(c.created_at),
            expires: c
                .expires_at
                .map(time)
                .unwrap_or_else(|| crate::i18n::tr("cred-mai")),
            revoked: c.revoked_at.is_some() || c.expires_at.is_some_and(|e| e <= now),
            id: c.id,
            name: c.name,
        })
        .collect();
    let mut roles: Vec<(String, String)> = Vec::new();
    for g in &staff.grants {
        if !roles.iter().any(|(c, _)| c == g.role.code()) {
            roles.push((g.role.code().to_owned(), super::role_label(g.role)));
        }
    }
    Ok(CredentialsView {
        page: crate::web::page(state, here, Some(&staff.who), "cred-titolo"),
        rows,
        roles,
        made: None,
        problem: None,
        revoked: false,
        token_url: format!("{}{}/api/v1/oauth/token", state.public_url, here.base),
    })
}

fn no_store(mut r: HttpResponse) -> HttpResponse {
    r.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    r
}

#[derive(serde::Deserialize)]
pub(super) struct ListQuery {
    revocata: Option<String>,
}

pub(super) async fn list(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ServerError> {
    let mut v = view(&state, &here, &staff).await?;
    v.revoked = q.revocata.is_some();
    crate::web::views::html(&v)
}

pub(super) async fn make(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    form: FormFields,
) -> Result<HttpResponse, ServerError> {
    let field = |name: &str| {
        form.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    };
    crate::web::session::check_csrf(&staff.who, Some(field("_csrf")))?;
    let kind = match field("tipo") {
        "personale" => Kind::Personal,
        "client" => Kind::Client,
        _ => return Err(ServerError::BadRequest("tipo".into())),
    };
    let mut roles = Vec::new();
    for (_, code) in form.fields.iter().filter(|(k, _)| k == "ruoli") {
        roles.push(Role::parse(code).map_err(|_| ServerError::BadRequest("ruoli".into()))?);
    }
    let days = match (kind, field("giorni")) {
        (Kind::Personal, d) => Some(d.parse::<i64>().unwrap_or(0)),
        _ => None,
    };
    let person = super::cases::member(&staff)?;
    let who = &staff.who.principal.person;
    let maker = Maker {
        person: &person,
        given_name: who.name.as_deref().unwrap_or_default(),
        family_name: who.family_name.as_deref().unwrap_or_default(),
        grants: &staff.grants,
    };
    let db = state.scoped(&here.tenant.id);
    let ids = state.ids.clone();
    let draw = move |n: usize| ids.token(n);
    let now = state.clock.now();
    let made = api_tokens::make(&db, maker, kind, field("nome"), &roles, days, &draw, now).await;
    match made {
        Ok(made) => {
            let mut v = view(&state, &here, &staff).await?;
            v.made = Some(Shown {
                client: kind == Kind::Client,
                client_id: format!("ist_{}", made.credential.id),
                secret: made.secret,
            });
            Ok(no_store(crate::web::views::html(&v)?))
        }
        Err(TokenError::Store(e)) => Err(e.into()),
        Err(e) => {
            let e = ServerError::Token(e);
            let mut v = view(&state, &here, &staff).await?;
            v.problem = Some(e.message());
            crate::web::views::html_status(&v, e.status())
        }
    }
}

#[derive(serde::Deserialize)]
pub(super) struct RevokeForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

pub(super) async fn revoke(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    id: web::Path<String>,
    form: web::Form<RevokeForm>,
) -> Result<HttpResponse, ServerError> {
    crate::web::session::check_csrf(&staff.who, form.csrf.as_deref())?;
    let person = super::cases::member(&staff)?;
    let db = state.scoped(&here.tenant.id);
    if !api_tokens::revoke(&db, &person, &id, state.clock.now()).await? {
        return Err(ServerError::NotFound);
    }
    Ok(see_other(&format!(
        "{}/ufficio/credenziali?revocata=1",
        here.base
    )))
}
