//! Single logout through the demo IdP, both ways, with signed messages.

use istanze_auth::demo_idp::DemoIdp;
use istanze_auth::keys::SigningKey;
use istanze_auth::saml::logout::SamlSession;
use istanze_tests::{decode, header, hidden, TestApp};
use reqwest::StatusCode;

#[tokio::test]
async fn logout_goes_through_the_idp_and_back() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let page = c
        .get(app.at("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = c
        .post(app.at("/esci"))
        .form(&[("_csrf", hidden(&page, "_csrf"))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let to_idp = header(&r, "location");
    assert!(
        to_idp.starts_with(&app.at("/demo-idp/slo?SAMLRequest=")),
        "{to_idp}"
    );
    assert!(to_idp.contains("&Signature="));
    // Already logged out locally, before the IdP answers.
    assert_eq!(
        c.get(app.at("/api/v1/submissions/x"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let back = c.get(&to_idp).send().await.unwrap();
    assert_eq!(back.status(), StatusCode::FOUND);
    let to_sp = header(&back, "location");
    assert!(
        to_sp.starts_with(&app.at("/spid/slo?SAMLResponse=")),
        "{to_sp}"
    );
    // Another browser cannot use this answer: it has not sent the request.
    let other = app.client();
    assert_eq!(
        other.get(&to_sp).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let done = c.get(&to_sp).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&done, "location"), "/");
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap() + start.len();
    &text[from..from + text[from..].find(end).unwrap()]
}

/// The session the demo IdP opened for `client` (from the login's response) and the demo IdP
/// itself, with its key, to send IdP-initiated logouts.
async fn logged_in_session(app: &TestApp, client: &reqwest::Client) -> (SamlSession, DemoIdp) {
    let response = decode(&app.login(client, "RSSMRA85T10A562S", 2).await);
    let raw = between(&response, "<saml:NameID", "</saml:NameID>");
    let session = SamlSession {
        idp: app.at("/demo-idp"),
        name_id: raw[raw.find('>').unwrap() + 1..].to_owned(),
        name_qualifier: app.at("/demo-idp"),
        session_index: Some(between(&response, "SessionIndex=\"", "\"").to_owned()),
    };
    let dir = &app.settings.server.data_dir;
    let key = SigningKey::from_files(
        &dir.join("demo-idp-key.pem"),
        &dir.join("demo-idp-cert.pem"),
    )
    .unwrap();
    let idp = DemoIdp::new(app.at("/demo-idp"), app.at("/demo-idp/sso"), key)
        .with_slo(app.at("/demo-idp/slo"));
    (session, idp)
}

#[tokio::test]
async fn the_idp_can_end_a_session() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let (session, idp) = logged_in_session(&app, &c).await;
    let url = idp
        .logout_request_url(
            &app.at("/spid/slo"),
            &session,
            "_idp_logout",
            chrono::Utc::now(),
        )
        .unwrap();
    // The IdP's request arrives through any browser; the session it names ends.
    let r = app.client().get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let answer = header(&r, "location");
    assert!(
        answer.starts_with(&app.at("/demo-idp/slo?SAMLResponse="))
            && answer.contains("&Signature="),
        "{answer}"
    );
    assert_eq!(
        c.get(app.at("/api/v1/submissions/x"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // A tampered request is refused.
    let tampered = url.replace("SAMLRequest=", "SAMLRequest=x");
    assert!(app
        .client()
        .get(&tampered)
        .send()
        .await
        .unwrap()
        .status()
        .is_client_error());
}

#[tokio::test]
async fn a_bare_link_to_the_slo_endpoint_logs_nobody_out() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let r = c.get(app.at("/spid/slo")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        c.get(app.at("/domande")).send().await.unwrap().status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn malformed_or_doubled_logout_messages_are_refused_and_nothing_breaks() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let (session, idp) = logged_in_session(&app, &c).await;
    let genuine = idp
        .logout_request_url(&app.at("/spid/slo"), &session, "_g", chrono::Utc::now())
        .unwrap();
    let query = genuine.split_once('?').unwrap().1;
    let message = query
        .split('&')
        .find(|p| p.starts_with("SAMLRequest="))
        .unwrap();
    let anyone = app.client();
    for bad in [
        message.to_owned(),                             // no SigAlg, no Signature
        format!("{message}&{query}"),                   // the message twice
        query.replace("rsa-sha256", "sha256-rsa-MGF1"), // an algorithm samael would panic on
        query
            .split('&')
            .filter(|p| !p.starts_with("Signature="))
            .collect::<Vec<_>>()
            .join("&"),
    ] {
        let r = anyone
            .get(format!("{}?{bad}", app.at("/spid/slo")))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{bad}: {}", r.status());
    }
    assert_eq!(
        anyone
            .get(app.at("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // The right SessionIndex with another NameID ends nobody's session.
    let other = SamlSession {
        name_id: "_someone_else".into(),
        ..session.clone()
    };
    let url = idp
        .logout_request_url(&app.at("/spid/slo"), &other, "_o", chrono::Utc::now())
        .unwrap();
    assert_eq!(
        anyone.get(&url).send().await.unwrap().status(),
        StatusCode::FOUND
    );
    assert_eq!(
        c.get(app.at("/domande")).send().await.unwrap().status(),
        StatusCode::OK,
        "still logged in"
    );
    // The genuine request does end it.
    assert_eq!(
        anyone.get(&genuine).send().await.unwrap().status(),
        StatusCode::FOUND
    );
    assert_eq!(
        c.get(app.at("/api/v1/submissions/x"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
}
