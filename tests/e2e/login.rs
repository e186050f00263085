//! SPID login through the demo IdP: real signed messages, replay and forgery refused.

use istanze_tests::{decode, encode, header, unescape, TestApp};
use reqwest::StatusCode;

#[tokio::test]
async fn health_and_signed_metadata() {
    let app = TestApp::spawn().await;
    let c = app.client();
    assert_eq!(
        c.get(app.at("/healthz")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let m = c.get(app.at("/spid/metadata")).send().await.unwrap();
    assert_eq!(m.status(), StatusCode::OK);
    let m = m.text().await.unwrap();
    assert!(m.contains(&format!("entityID=\"{}\"", app.url)));
    assert!(m.contains(&format!("Location=\"{}/spid/acs\"", app.url)));
    assert!(
        m.contains("<ds:SignatureValue>") && !m.contains("<ds:SignatureValue></ds:SignatureValue>")
    );
    let idp = c
        .get(app.at("/demo-idp/metadata"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(idp.contains("IDPSSODescriptor"));
    let users: serde_json::Value = c
        .get(app.at("/demo-idp/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(users
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["fiscal_number"] == "RSSMRA85T10A562S"));
}

#[tokio::test]
async fn login_sets_a_secure_session_cookie_and_returns_to_next() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let idp = format!("{}/demo-idp", app.url);
    let r = c
        .get(app.at("/spid/login"))
        .query(&[("idp", idp.as_str()), ("next", "/domande")])
        .send()
        .await
        .unwrap();
    let location = header(&r, "location");
    let relay = url::Url::parse(&location).unwrap();
    let relay_state: String = relay
        .query_pairs()
        .find(|(k, _)| k == "RelayState")
        .unwrap()
        .1
        .into();
    assert!(!relay_state.contains("http"), "RelayState is opaque");
    assert!(relay
        .query_pairs()
        .any(|(k, v)| k == "SigAlg" && v.ends_with("rsa-sha256")));
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let mine = c.get(app.at("/domande")).send().await.unwrap();
    assert_eq!(mine.status(), StatusCode::OK);
    assert!(mine.text().await.unwrap().contains("Mario Rossi"));
}

#[tokio::test]
async fn the_session_cookie_is_httponly_and_samesite() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let answer = app.idp_answer(&c, &[], "RSSMRA85T10A562S").await;
    let acs = app.post_acs(&c, &answer, "x").await;
    assert_eq!(acs.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&acs, "location"), "/", "no next given: home");
    let cookie = header(&acs, "set-cookie");
    assert!(cookie.starts_with("istanze_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
}

#[tokio::test]
async fn a_replayed_saml_response_is_refused() {
    let app = TestApp::spawn().await;
    let saml_response = app.login(&app.client(), "RSSMRA85T10A562S", 2).await;
    let attacker = app.client();
    let r = app.post_acs(&attacker, &saml_response, "x").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(
        header(&r, "set-cookie").is_empty(),
        "no session for a replay"
    );
    let body = r.text().await.unwrap();
    assert!(
        body.contains("già stata usata"),
        "Italian explanation: {body}"
    );
    let mine = attacker
        .get(app.at("/api/v1/submissions/x"))
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_forged_saml_response_is_refused() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let genuine = decode(&app.idp_answer(&c, &[], "RSSMRA85T10A562S").await);
    // Swap the citizen inside the signed assertion: the signature no longer matches.
    let forged = genuine.replace("TINIT-RSSMRA85T10A562S", "TINIT-VRDGPP70A01H501S");
    let r = app.post_acs(&c, &encode(&forged), "x").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(header(&r, "set-cookie").is_empty());
    assert!(
        unescape(&r.text().await.unwrap()).contains("Non è stato possibile verificare l'accesso")
    );
    // The request was consumed by the forgery: the genuine answer cannot be used any more.
    let r = app.post_acs(&c, &encode(&genuine), "x").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // An unsolicited response (no pending request) is refused.
    let unsolicited = genuine.replace("InResponseTo=\"", "InResponseTo=\"_x");
    assert_eq!(
        app.post_acs(&c, &encode(&unsolicited), "x").await.status(),
        StatusCode::FORBIDDEN
    );
    // Garbage is a bad request, not a crash.
    let r = app.post_acs(&c, "%%%not-base64", "x").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_unknown_idp_or_an_external_next_is_not_followed() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let r = c
        .get(app.at("/spid/login"))
        .query(&[("idp", "https://evil.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let idp = format!("{}/demo-idp", app.url);
    let r = c
        .get(app.at("/spid/login"))
        .query(&[("idp", idp.as_str()), ("next", "//evil.example/x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND, "the login goes on");
    let answer = app
        .idp_answer(&c, &[("next", "//evil.example/x")], "RSSMRA85T10A562S")
        .await;
    let acs = app.post_acs(&c, &answer, "x").await;
    assert_eq!(
        header(&acs, "location"),
        "/",
        "an external next is replaced by /"
    );
}

#[tokio::test]
async fn a_response_posted_by_another_browser_is_refused() {
    // Login CSRF: an attacker starts a login, gets a genuine response for their own identity
    // and makes the victim's browser post it. The victim's browser lacks the login cookie.
    let app = TestApp::spawn().await;
    let attacker = app.client();
    let answer = app.idp_answer(&attacker, &[], "VRDGPP70A01H501S").await;
    let victim = app.client();
    let r = app.post_acs(&victim, &answer, "x").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(header(&r, "set-cookie").is_empty());
}

#[tokio::test]
async fn old_login_requests_and_expired_sessions_are_purged() {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    app.idp_answer(&app.client(), &[], "RSSMRA85T10A562S").await;
    let db = sea_orm::Database::connect(app.settings.database.url.clone().unwrap())
        .await
        .unwrap();
    let count = |db: sea_orm::DatabaseConnection| async move {
        let s = istanze_server::db::session::Entity::find()
            .count(&db)
            .await
            .unwrap();
        let r = istanze_server::db::authn_request::Entity::find()
            .count(&db)
            .await
            .unwrap();
        (s, r)
    };
    assert_eq!(count(db.clone()).await, (1, 2));
    let now = chrono::Utc::now();
    let purged = istanze_server::housekeeping::purge(
        &istanze_tests::scoped(&db, "p_es"),
        now,
        chrono::Duration::hours(1),
    )
    .await
    .unwrap();
    assert_eq!(purged, 0, "nothing is old yet");
    let later = now + chrono::Duration::days(2);
    let purged = istanze_server::housekeeping::purge(
        &istanze_tests::scoped(&db, "p_es"),
        later,
        chrono::Duration::hours(1),
    )
    .await
    .unwrap();
    assert_eq!(purged, 3);
    assert_eq!(count(db).await, (0, 0));
}

#[tokio::test]
async fn each_form_asks_for_its_own_attribute_set() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let metadata = c
        .get(app.at("/spid/metadata"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metadata.contains(r#"<md:AttributeConsumingService index="0">"#));
    assert!(metadata.contains(r#"<md:AttributeConsumingService index="1">"#));
    assert!(metadata.contains(r#"<md:RequestedAttribute Name="placeOfBirth"/>"#));
    let index_for = |next: &'static str| {
        let c = c.clone();
        let app_url = app.url.clone();
        async move {
            let idp = format!("{app_url}/demo-idp");
            let r = c
                .get(format!("{app_url}/spid/login"))
                .query(&[("idp", idp.as_str()), ("next", next)])
                .send()
                .await
                .unwrap();
            let xml = istanze_tests::authn_request_in(&header(&r, "location"));
            xml.split("AttributeConsumingServiceIndex=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_owned()
        }
    };
    assert_eq!(index_for("/servizi/concorso").await, "1");
    assert_eq!(index_for("/servizi/patrocinio").await, "0");
    assert_eq!(index_for("/domande").await, "0");
}
