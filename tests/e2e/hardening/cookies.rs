//! Outside demo mode: `__Host-` cookies, HSTS; in any mode: the absolute session lifetime.

use actix_web::cookie::SameSite;
use chrono::{Duration, Utc};
use istanze_server::db::session;
use istanze_tests::{header, hidden, TestApp};
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter};

use super::{bare_client, pair, set_cookie, Production, IDP};

/// Secure, for `/`, without Domain: what a browser demands of a `__Host-` cookie.
fn assert_host_only(c: &actix_web::cookie::Cookie<'_>) {
    assert!(c.name().starts_with("__Host-"), "{c}");
    assert_eq!(c.secure(), Some(true), "{c}");
    assert_eq!(c.path(), Some("/"), "{c}");
    assert_eq!(c.domain(), None, "{c}");
    assert_eq!(c.http_only(), Some(true), "{c}");
}

#[tokio::test]
async fn outside_demo_every_cookie_is_host_prefixed_and_plain_names_are_ignored() {
    let app = Production::spawn(|_| {}).await;
    let c = bare_client();

    // Language.
    let r = c.get(app.at("/?lang=en")).send().await.unwrap();
    let lang = set_cookie(&r, "__Host-istanze_lang");
    assert_host_only(&lang);
    assert_eq!(lang.value(), "en");
    let html = |cookie: &'static str| {
        let c = c.clone();
        let url = app.at("/");
        async move {
            let r = c.get(url).header("Cookie", cookie).send().await.unwrap();
            r.text().await.unwrap()
        }
    };
    assert!(html("__Host-istanze_lang=en")
        .await
        .contains(r#"<html lang="en">"#));
    assert!(
        html("istanze_lang=en")
            .await
            .contains(r#"<html lang="it">"#),
        "a cookie without the prefix could have been planted by a sibling site"
    );

    // Login.
    let (login, answer) = app.idp_answer(&c, "/domande").await;
    assert_host_only(&login);
    assert_eq!(
        login.same_site(),
        Some(SameSite::None),
        "the IdP posts cross-site"
    );
    let acs = c
        .post(app.at("/spid/acs"))
        .header("Cookie", pair(&login))
        .form(&[("SAMLResponse", answer.as_str()), ("RelayState", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(acs.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&acs, "location"), "/domande");
    let session = set_cookie(&acs, "__Host-istanze_session");
    assert_host_only(&session);
    assert_eq!(session.same_site(), Some(SameSite::Lax));
    let done = set_cookie(&acs, "__Host-istanze_login");
    assert_host_only(&done);
    assert_eq!(
        done.max_age(),
        Some(actix_web::cookie::time::Duration::ZERO)
    );

    let mine = c
        .get(app.at("/domande"))
        .header("Cookie", pair(&session))
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), StatusCode::OK);
    let mine = mine.text().await.unwrap();
    assert!(mine.contains("Mario Rossi"), "logged in");
    let unprefixed = c
        .get(app.at("/domande"))
        .header("Cookie", format!("istanze_session={}", session.value()))
        .send()
        .await
        .unwrap();
    assert_eq!(unprefixed.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&unprefixed, "location"), "/accedi?next=/domande");

    // Logout, with the SAML logout at the IdP.
    let out = c
        .post(app.at("/esci"))
        .header("Cookie", pair(&session))
        .form(&[("_csrf", hidden(&mine, "_csrf").as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::FOUND);
    assert!(
        header(&out, "location").starts_with(&format!("{IDP}/slo?SAMLRequest=")),
        "{}",
        header(&out, "location")
    );
    assert_host_only(&set_cookie(&out, "__Host-istanze_logout"));
    let ended = set_cookie(&out, "__Host-istanze_session");
    assert_host_only(&ended);
    assert_eq!(
        ended.max_age(),
        Some(actix_web::cookie::time::Duration::ZERO)
    );
}

#[tokio::test]
async fn demo_keeps_the_plain_cookie_names() {
    let app = TestApp::spawn().await;
    let c = bare_client();
    let r = c.get(app.at("/?lang=en")).send().await.unwrap();
    assert_eq!(set_cookie(&r, "istanze_lang").secure(), None);
    let r = c
        .get(app.at("/spid/login"))
        .query(&[("idp", format!("{}/demo-idp", app.url))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let login = set_cookie(&r, "istanze_login");
    assert_eq!(login.secure(), None, "plain http on loopback");
    assert_eq!(login.path(), Some("/spid/"));
    // And a whole login works with them.
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let r = c.get(app.at("/domande")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn hsts_is_sent_outside_demo_only() {
    let prod = Production::spawn(|_| {}).await;
    let r = bare_client().get(prod.at("/healthz")).send().await.unwrap();
    assert_eq!(
        header(&r, "strict-transport-security"),
        "max-age=31536000; includeSubDomains"
    );
    let r = bare_client().get(prod.at("/nessuna")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        header(&r, "strict-transport-security"),
        "max-age=31536000; includeSubDomains",
        "error pages too"
    );
    let demo = TestApp::spawn().await;
    let r = bare_client().get(demo.at("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_active() {
    let app = TestApp::spawn().await;
    assert_eq!(app.settings.session.absolute_hours, 12, "the default");
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let db = Database::connect(app.settings.database.url.clone().unwrap())
        .await
        .unwrap();
    let age = |created: chrono::DateTime<Utc>, expires: chrono::DateTime<Utc>| {
        let db = db.clone();
        async move {
            session::Entity::update_many()
                .col_expr(session::Column::CreatedAt, Expr::value(created))
                .col_expr(session::Column::ExpiresAt, Expr::value(expires))
                .filter(session::Column::Identity.contains("RSSMRA85T10A562S"))
                .exec(&db)
                .await
                .unwrap()
                .rows_affected
        }
    };
    let status = || async { c.get(app.at("/domande")).send().await.unwrap().status() };

    // Ten minutes before the end, with the idle expiry close: alive, and the sliding expiry
    // stops at the absolute end rather than 30 minutes on.
    let created = Utc::now() - Duration::hours(12) + Duration::minutes(10);
    assert_eq!(age(created, Utc::now() + Duration::minutes(1)).await, 1);
    assert_eq!(status().await, StatusCode::OK);
    let row = session::Entity::find().one(&db).await.unwrap().unwrap();
    assert!(
        row.expires_at > Utc::now() + Duration::minutes(5)
            // A second for the database's rounding of the stored instants.
            && row.expires_at <= created + Duration::hours(12) + Duration::seconds(1),
        "expiry {} slid past the end {}",
        row.expires_at,
        created + Duration::hours(12)
    );

    // Past the end, though just used and with its idle expiry far ahead: dead.
    let created = Utc::now() - Duration::hours(12) - Duration::minutes(1);
    assert_eq!(age(created, Utc::now() + Duration::minutes(29)).await, 1);
    let r = c.get(app.at("/domande")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&r, "location"), "/accedi?next=/domande");
}
