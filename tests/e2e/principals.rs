//! The session and the submission keep a `Principal` (who, how they logged in, as citizen or
//! staff), and what was stored before principals existed is still read as the one it names.

use chrono::{Duration, Utc};
use istanze_domain::{Acting, LevelOfAssurance, LoginMethod, Principal, Subject};
use istanze_server::db::{session, submission};
use istanze_server::error::ServerError;
use istanze_tests::{unescape, TestApp};
use sea_orm::{ActiveValue::Set, EntityTrait};

fn legacy(fiscal_number: &str, provider: &str) -> String {
    serde_json::json!({
        "fiscal_number": fiscal_number,
        "name": "Mario",
        "family_name": "Rossi",
        "email": "mario.rossi@example.it",
        "date_of_birth": "1985-12-10",
        "level": "SpidL2",
        "provider": provider,
        "attributes": {"fiscalNumber": format!("TINIT-{fiscal_number}")}
    })
    .to_string()
}

#[tokio::test]
async fn a_login_is_kept_as_a_principal_with_its_scheme_and_level() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let id = app.submit_patrocinio(&c).await;

    let tenant = app.state.tenants.default_tenant().clone();
    let db = app.state.scoped(&tenant.id);
    let sessions = session::Entity::find().all(&db).await.unwrap();
    assert_eq!(sessions.len(), 1);
    let stored: Principal = serde_json::from_str(&sessions[0].identity).unwrap();
    let Subject::FiscalCode(cf) = &stored.person.subject else {
        panic!("{:?}", stored.person.subject)
    };
    assert_eq!(cf.as_str(), "RSSMRA85T10A562S");
    assert_eq!(stored.login.method, LoginMethod::Demo);
    assert_eq!(stored.login.level, LevelOfAssurance::SpidL2);
    assert_eq!(stored.login.provider, format!("{}/demo-idp", app.url));
    assert_eq!(stored.acting, Acting::Citizen);

    let sub = submission::Entity::find_by_id(&id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sub.owner, "RSSMRA85T10A562S");
    let filed: Principal = serde_json::from_str(&sub.identity).unwrap();
    assert_eq!(filed, stored);
}

#[tokio::test]
async fn identities_stored_before_principals_are_read_as_the_principal_they_name() {
    let app = TestApp::spawn().await;
    let demo = format!("{}/demo-idp", app.url);
    let p = istanze_server::principal::from_stored(
        &app.state,
        &legacy("rssmra85t10a562s", "https://idp.test"),
    )
    .unwrap();
    assert_eq!(p.owner(), "RSSMRA85T10A562S");
    assert_eq!(p.login.method, LoginMethod::Spid);
    assert_eq!(p.person.email.as_deref(), Some("mario.rossi@example.it"));
    assert_eq!(
        p.person.date_of_birth.unwrap().to_string(),
        "1985-12-10",
        "every field carried over"
    );
    let p = istanze_server::principal::from_stored(&app.state, &legacy("RSSMRA85T10A562S", &demo))
        .unwrap();
    assert_eq!(p.login.method, LoginMethod::Demo);
    assert_eq!(
        istanze_server::principal::stored_email(&legacy("RSSMRA85T10A562S", &demo)).as_deref(),
        Some("mario.rossi@example.it")
    );
    // Before principals a foreign tax number from the eIDAS node was kept as it came: it is
    // read as an eIDAS identifier, not as a fiscal code, and App IO is not asked about it.
    let foreign = legacy("DE/IT/0123456789", &demo);
    let p = istanze_server::principal::from_stored(&app.state, &foreign).unwrap();
    assert_eq!(p.owner(), "eidas:DE/IT/0123456789");
    assert_eq!(p.person.subject.fiscal_code(), None);
    assert_eq!(
        istanze_server::principal::stored_fiscal_code(&foreign),
        None
    );
    assert_eq!(
        istanze_server::principal::stored_fiscal_code(&legacy("RSSMRA85T10A562S", &demo))
            .map(|cf| cf.to_string()),
        Some("RSSMRA85T10A562S".into())
    );
    // Something that is neither is refused, naming what.
    let refused = istanze_server::principal::from_stored(&app.state, &legacy("not an id", &demo))
        .unwrap_err();
    assert!(
        matches!(&refused, ServerError::Internal(m) if m.starts_with("stored identifier")),
        "{refused:?}"
    );

    // A session written by the earlier version is still a login.
    let tenant = app.state.tenants.default_tenant().clone();
    let token = "a-session-token-from-before-principals";
    old_session(&app, token, &legacy("RSSMRA85T10A562S", &demo)).await;
    let page = app
        .client()
        .get(app.at("/domande"))
        .header("cookie", format!("istanze_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    let page = unescape(&page.text().await.unwrap());
    assert!(page.contains("Mario Rossi"), "{page}");

    // A session this version cannot read is no session (log in again), not an error page,
    // and it is closed.
    let unreadable = "a-session-token-nobody-can-read";
    let id = old_session(&app, unreadable, &legacy("not an id", &demo)).await;
    let page = app
        .client()
        .get(app.at("/domande"))
        .header("cookie", format!("istanze_session={unreadable}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.status(),
        reqwest::StatusCode::SEE_OTHER,
        "sent to log in"
    );
    assert_eq!(
        istanze_tests::header(&page, "location"),
        "/accedi?next=/domande"
    );
    let left = session::Entity::find_by_id(id)
        .one(&app.state.scoped(&tenant.id))
        .await
        .unwrap();
    assert_eq!(left, None, "the unreadable session is closed");
}

/// A session row as a version before principals wrote it, for `token`; its id.
async fn old_session(app: &TestApp, token: &str, identity: &str) -> String {
    let tenant = app.state.tenants.default_tenant().clone();
    let id = istanze_server::random::sha256_hex(token.as_bytes());
    let now = Utc::now();
    session::Entity::insert(session::ActiveModel {
        id: Set(id.clone()),
        administration: Set(tenant.id.to_string()),
        identity: Set(identity.to_owned()),
        csrf: Set("csrf".into()),
        saml_idp: Set(None),
        saml_name_id: Set(None),
        saml_name_qualifier: Set(None),
        saml_session_index: Set(None),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(30)),
    })
    .exec_without_returning(&app.state.scoped(&tenant.id))
    .await
    .unwrap();
    id
}
