//! The JSON API's answers to bad input: each a clear status, nothing changed.

use istanze_tests::{patrocinio, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

async fn logged_in(app: &TestApp, level: u8) -> reqwest::Client {
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", level).await;
    c
}

#[tokio::test]
async fn forms_are_listed_and_described() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let list: Value = c
        .get(app.at("/api/v1/forms"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = list["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["concorso", "patrocinio"]);
    let form: Value = c
        .get(app.at("/api/v1/forms/concorso"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(form["min_level"], "SpidL2");
    assert!(form["schema"]["properties"]["anagrafica"].is_object());
    let r = c.get(app.at("/api/v1/forms/nessuno")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn without_login_401_unknown_form_404() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let r = app.submit(&c, "patrocinio", &patrocinio()).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("accedere"));
    let c = logged_in(&app, 2).await;
    let r = c
        .post(app.at("/api/v1/forms/nessuno/submissions"))
        .json(&patrocinio())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_level_one_login_cannot_submit_a_level_two_form() {
    let app = TestApp::spawn().await;
    let c = logged_in(&app, 1).await;
    let r = app.submit(&c, "patrocinio", &patrocinio()).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn malformed_oversized_and_non_json_bodies() {
    let app = TestApp::spawn().await;
    let c = logged_in(&app, 2).await;
    let url = app.at("/api/v1/forms/patrocinio/submissions");
    let r = c
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"richiedente\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let big = format!("{{\"x\": \"{}\"}}", "a".repeat(300 * 1024));
    let r = c
        .post(&url)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let r = c
        .post(&url)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = c
        .post(&url)
        .json(&serde_json::json!([1, 2]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(&url)
        .header("Idempotency-Key", "not-a-uuid")
        .json(&patrocinio())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let mine = c
        .get(app.at("/domande"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        mine.contains("Non hai ancora presentato domande"),
        "nothing stored"
    );
}

#[tokio::test]
async fn cross_site_writes_are_refused() {
    let app = TestApp::spawn().await;
    let c = logged_in(&app, 2).await;
    let url = app.at("/api/v1/forms/patrocinio/submissions");
    let r = c
        .post(&url)
        .header("Origin", "https://evil.example")
        .json(&patrocinio())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .post(&url)
        .header("Sec-Fetch-Site", "cross-site")
        .json(&patrocinio())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .post(&url)
        .header("Origin", &app.url)
        .header("Sec-Fetch-Site", "same-origin")
        .json(&patrocinio())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_submission_is_visible_to_its_owner_only() {
    let app = TestApp::spawn().await;
    let mario = logged_in(&app, 2).await;
    let r = app.submit(&mario, "patrocinio", &patrocinio()).await;
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lucia = app.client();
    app.login(&lucia, "BNCLCU92M55F205G", 2).await;
    for path in [
        format!("/api/v1/submissions/{id}"),
        format!("/domande/{id}"),
    ] {
        let r = lucia.get(app.at(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let r = mario
        .get(app.at(&format!("/api/v1/submissions/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let anonymous = app.client();
    let r = anonymous
        .get(app.at(&format!("/api/v1/submissions/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn checks_come_before_the_body_and_a_replayed_key_answers_200() {
    let app = TestApp::spawn().await;
    let anonymous = app.client();
    let r = anonymous
        .post(app.at("/api/v1/forms/patrocinio/submissions"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "login first, then the body"
    );
    let c = logged_in(&app, 2).await;
    let r = c
        .post(app.at("/api/v1/forms/nessuno/submissions"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let key = uuid::Uuid::new_v4().to_string();
    let send = |form: &'static str, data: Value| {
        c.post(app.at(&format!("/api/v1/forms/{form}/submissions")))
            .header("Idempotency-Key", &key)
            .json(&data)
            .send()
    };
    assert_eq!(
        send("patrocinio", patrocinio()).await.unwrap().status(),
        StatusCode::CREATED
    );
    assert_eq!(
        send("patrocinio", patrocinio()).await.unwrap().status(),
        StatusCode::OK
    );
    let r = send("concorso", istanze_tests::concorso()).await.unwrap();
    assert_eq!(
        r.status(),
        StatusCode::CONFLICT,
        "the same key for another form"
    );
}
