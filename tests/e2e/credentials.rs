//! Staff API credentials: a personal token and an OAuth2 client (client credentials grant),
//! made by a member for themselves with some of their roles, used as bearer tokens on the
//! office API only; each refused when wrong, expired, revoked, beyond the member's roles, or
//! at another administration; and never more than the member can do at that moment.

use istanze_domain::{FiscalCode, Reach, Role};
use istanze_server::store::audit::AuditStore;
use istanze_server::store::staff::StaffStore;
use istanze_tests::{hidden, Server, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::administrations::{two_administrations, CITIZEN, MUNICIPALITY};

const OPERATOR: &str = "MRNLRA82C53L219U";

fn text(html: String) -> String {
    html.replace("&#39;", "'").replace("&#x27;", "'")
}

/// The `value` of the input `id` of a page.
fn input(page: &str, id: &str) -> String {
    let at = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("{id} in {page}"));
    let rest = &page[at..];
    let v = rest.find("value=\"").unwrap() + 7;
    rest[v..v + rest[v..].find('"').unwrap()].to_owned()
}

async fn make(
    app: &TestApp,
    c: &reqwest::Client,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let page = app.page(c, "/ufficio/credenziali").await;
    let mut form = vec![("_csrf", hidden(&page, "_csrf"))];
    form.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let r = c
        .post(app.at("/ufficio/credenziali"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let cache = r
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, text(r.text().await.unwrap()), cache)
}

#[tokio::test]
async fn personal_tokens_and_clients_act_for_their_member_with_the_roles_chosen() {
    let app = two_administrations().await;
    let server: &Server = &app;
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&citizen).await;
    app.wait_for_protocol(&citizen, &id).await;
    let laura = server.staff_client(OPERATOR).await;

    // Refusals say their rule and make nothing.
    for (fields, words) in [
        (
            vec![("tipo", "personale"), ("nome", "x"), ("giorni", "30")],
            "almeno uno dei tuoi ruoli",
        ),
        (
            vec![
                ("tipo", "personale"),
                ("nome", "x"),
                ("ruoli", "revisore"),
                ("giorni", "30"),
            ],
            "solo ruoli che hai",
        ),
        (
            vec![
                ("tipo", "personale"),
                ("nome", "x"),
                ("ruoli", "operatore"),
                ("giorni", "400"),
            ],
            "da 1 a 365 giorni",
        ),
        (
            vec![
                ("tipo", "personale"),
                ("nome", " "),
                ("ruoli", "operatore"),
                ("giorni", "30"),
            ],
            "un nome da 1 a 60",
        ),
    ] {
        let (status, body, _) = make(&app, &laura, &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{words}");
        assert!(body.contains(words), "{words}: {body}");
    }
    assert!(app
        .page(&laura, "/ufficio/credenziali")
        .await
        .contains("Non hai credenziali"));

    let (status, page, cache) = make(
        &app,
        &laura,
        &[
            ("tipo", "personale"),
            ("nome", "Gestionale"),
            ("ruoli", "operatore"),
            ("giorni", "30"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cache, "no-store", "the page with the secret is not kept");
    let token = input(&page, "segreto");
    assert!(token.starts_with("ist_"), "{token}");
    assert!(
        !app.page(&laura, "/ufficio/credenziali")
            .await
            .contains(&token),
        "shown once"
    );

    // The token is the member on the office API, with no cookie and no Origin.
    let machine = reqwest::Client::new();
    let queue: Value = machine
        .get(app.at("/api/v1/office/applications"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(queue["items"][0]["id"], id.as_str(), "{queue}");
    let r = machine
        .post(app.at(&format!("/api/v1/office/applications/{id}/events")))
        .bearer_auth(&token)
        .json(&json!({"type": "start"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    // Its document downloads with the token too.
    let started: Value = r.json().await.unwrap();
    let r = machine
        .get(app.at(started["document"]["url"].as_str().unwrap()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
    // Not on the pages, not with a wrong secret, not at another administration.
    let r = machine
        .get(app.at("/ufficio/domande"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let forged = format!(
        "{}{}",
        &token[..token.len() - 1],
        if token.ends_with('0') { '1' } else { '0' }
    );
    for (url, bearer) in [
        (app.at("/api/v1/office/applications"), forged.as_str()),
        (
            app.ente(MUNICIPALITY).at("/api/v1/office/applications"),
            token.as_str(),
        ),
        (app.at("/api/v1/office/applications"), "ist_nonsense"),
    ] {
        let r = machine.get(url).bearer_auth(bearer).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{bearer}");
        assert_eq!(
            r.headers()["www-authenticate"],
            "Bearer error=\"invalid_token\""
        );
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Credenziale non valida"));
    }

    // The audit log names the member and the credential.
    let admin = app.state.tenants.iter().next().unwrap().id.clone();
    let db = app.state.scoped(&admin);
    let credential = token.split('_').nth(1).unwrap().to_owned();
    let entries = db.entries_after(0, 1000).await.unwrap();
    assert!(entries.iter().any(|e| e.actor == OPERATOR
        && e.action == format!("POST /api/v1/office/applications/{id}/events")
        && serde_json::from_str::<Value>(&e.details).unwrap()["credential"]
            == credential.as_str()));

    // An OAuth2 client: its access token, by HTTP Basic or by the form.
    let (_, page, _) = make(
        &app,
        &laura,
        &[
            ("tipo", "client"),
            ("nome", "Protocollo"),
            ("ruoli", "operatore"),
        ],
    )
    .await;
    let (client_id, secret) = (input(&page, "client-id"), input(&page, "segreto"));
    let token_url = app.at("/api/v1/oauth/token");
    let r = machine
        .post(&token_url)
        .basic_auth(&client_id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let grant: Value = r.json().await.unwrap();
    assert_eq!(grant["token_type"], "Bearer");
    assert_eq!(grant["expires_in"], 3600);
    assert_eq!(grant["scope"], "operatore");
    let access = grant["access_token"].as_str().unwrap().to_owned();
    let r = machine
        .get(app.at(&format!("/api/v1/office/applications/{id}")))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // The client itself is no bearer; the grant refuses what RFC 6749 says it refuses.
    let r = machine
        .get(app.at("/api/v1/office/applications"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    for (form, basic, status, error) in [
        (
            vec![("grant_type", "password")],
            true,
            400,
            "unsupported_grant_type",
        ),
        (
            vec![("grant_type", "client_credentials"), ("scope", "revisore")],
            true,
            400,
            "invalid_scope",
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", client_id.as_str()),
                ("client_secret", "00"),
            ],
            false,
            401,
            "invalid_client",
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", client_id.as_str()),
            ],
            true,
            400,
            "invalid_request",
        ),
    ] {
        let mut r = machine.post(&token_url).form(&form);
        if basic {
            r = r.basic_auth(&client_id, Some(&secret));
        }
        let r = r.send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{error}");
        assert_eq!(r.json::<Value>().await.unwrap()["error"], error);
    }
    let r = machine
        .post(&token_url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id.as_str()),
            ("client_secret", secret.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the secret in the form");
    // Its secret half alone, with its client_id; but never another client's id.
    let half = secret.rsplit('_').next().unwrap();
    for (id, expected) in [
        (client_id.as_str(), StatusCode::OK),
        ("ist_0123456789abcdef", StatusCode::UNAUTHORIZED),
    ] {
        let r = machine
            .post(&token_url)
            .basic_auth(id, Some(half))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), expected, "{id}");
    }
    let r = machine
        .post(&token_url)
        .basic_auth("ist_0123456789abcdef", Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "the whole secret under another id"
    );

    // A credential has the roles chosen, not all its member's: with the auditor's role too,
    // Laura's operator token may still act, an auditor-only one may only read.
    let cf = FiscalCode::parse(OPERATOR).unwrap();
    db.grant(
        &cf,
        Role::Auditor,
        &Reach::Administration,
        "test",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let (_, page, _) = make(
        &app,
        &laura,
        &[
            ("tipo", "personale"),
            ("nome", "Sola lettura"),
            ("ruoli", "revisore"),
            ("giorni", "1"),
        ],
    )
    .await;
    let reader = input(&page, "segreto");
    let r = machine
        .post(app.at(&format!("/api/v1/office/applications/{id}/events")))
        .bearer_auth(&reader)
        .json(&json!({"type": "review"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "an auditor's token changes nothing"
    );
    let r = machine
        .get(app.at(&format!("/api/v1/office/applications/{id}")))
        .bearer_auth(&reader)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "and reads");

    // The member loses the role: the token loses it at its next request.
    db.revoke(&cf, Role::Auditor, &Reach::Administration)
        .await
        .unwrap();
    let r = machine
        .get(app.at(&format!("/api/v1/office/applications/{id}")))
        .bearer_auth(&reader)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Revoking the client ends its access tokens; revoking the token ends it.
    let list = app.page(&laura, "/ufficio/credenziali").await;
    for credential in [&client_id["ist_".len()..], token.split('_').nth(1).unwrap()] {
        let r = laura
            .post(app.at(&format!("/ufficio/credenziali/{credential}/revoca")))
            .form(&[("_csrf", hidden(&list, "_csrf"))])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    for bearer in [&access, &token] {
        let r = machine
            .get(app.at("/api/v1/office/applications"))
            .bearer_auth(bearer)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = machine
        .post(&token_url)
        .basic_auth(&client_id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "a revoked client gets no token"
    );
    // An expired token is refused like a revoked one.
    let (_, page, _) = make(
        &app,
        &laura,
        &[
            ("tipo", "personale"),
            ("nome", "Breve"),
            ("ruoli", "operatore"),
            ("giorni", "1"),
        ],
    )
    .await;
    let short = input(&page, "segreto");
    let short_id = short.split('_').nth(1).unwrap().to_owned();
    let url = app.settings.database.url.clone().unwrap();
    let raw = sea_orm::Database::connect(&url).await.unwrap();
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    sea_orm::ConnectionTrait::execute_unprepared(
        &raw,
        &format!("UPDATE api_tokens SET expires_at = '{past}' WHERE id = '{short_id}'"),
    )
    .await
    .unwrap();
    let r = machine
        .get(app.at("/api/v1/office/applications"))
        .bearer_auth(&short)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "expired");

    // Someone else's credential cannot be revoked by Laura: not found, and it still works.
    let marco = server.staff_client("CNTMRC79D14L219F").await;
    let (_, page, _) = make(
        &app,
        &marco,
        &[
            ("tipo", "personale"),
            ("nome", "Suo"),
            ("ruoli", "responsabile"),
            ("giorni", "5"),
        ],
    )
    .await;
    let his = input(&page, "segreto");
    let his_id = his.split('_').nth(1).unwrap().to_owned();
    let r = laura
        .post(app.at(&format!("/ufficio/credenziali/{his_id}/revoca")))
        .form(&[("_csrf", hidden(&list, "_csrf"))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = machine
        .get(app.at("/api/v1/office/applications"))
        .bearer_auth(&his)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "Marco's token still works");
    let r = laura
        .post(app.at("/ufficio/credenziali/0123456789abcdef/revoca"))
        .form(&[("_csrf", hidden(&list, "_csrf"))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
