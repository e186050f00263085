//! The OpenAPI 3.1 document at `/api/v1/openapi.json`: valid for the official validator
//! (openapi-spec-validator), and true to the API: every operation it names is routed, and the
//! bodies the API answers with have the fields it says they have.

use istanze_tests::{Server, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

use crate::administrations::CITIZEN;

/// The properties of `schema`, with those of the schemas it is made of (`allOf`, `$ref`).
fn properties(schemas: &serde_json::Map<String, Value>, schema: &Value) -> Vec<String> {
    let mut out: Vec<String> = schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    if let Some(name) = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        out.extend(properties(schemas, &schemas[name]));
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        out.extend(properties(schemas, part));
    }
    out
}

#[tokio::test]
async fn the_openapi_document_is_valid_and_says_what_the_api_does() {
    let app = TestApp::spawn().await;
    let r = app
        .client()
        .get(app.at("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, &text).unwrap();
    let out = std::process::Command::new(istanze_tests::smtp::python())
        .args(["-m", "openapi_spec_validator", "--schema", "3.1"])
        .arg(&file)
        .output()
        .expect("openapi-spec-validator (scripts/test-tools.sh installs it)");
    assert!(
        out.status.success(),
        "openapi-spec-validator: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // The answers have the fields the document gives their schemas.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let fields = |name: &str| -> Vec<String> {
        let found = properties(schemas, &schemas[name]);
        assert!(!found.is_empty(), "{name} has properties");
        found
    };
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&citizen).await;
    let detail = app.wait_for_protocol(&citizen, &id).await;
    let server: &Server = &app;
    for key in fields("SubmissionDetail") {
        assert!(
            detail.get(&key).is_some(),
            "GET /submissions/{{id}} has {key}: {detail}"
        );
    }
    for key in fields("CitizenCase") {
        assert!(
            detail["case"].get(&key).is_some(),
            "case has {key}: {detail}"
        );
    }
    let operator = server.staff_client("MRNLRA82C53L219U").await;
    let queue: Value = operator
        .get(app.at("/api/v1/office/applications"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for key in fields("QueuePage") {
        assert!(queue.get(&key).is_some(), "the queue has {key}: {queue}");
    }
    for key in fields("QueueItem") {
        assert!(
            queue["items"][0].get(&key).is_some(),
            "an item has {key}: {queue}"
        );
    }
    let r = operator
        .post(app.at(&format!("/api/v1/office/applications/{id}/events")))
        .header("Origin", &app.url)
        .json(&serde_json::json!({"type": "start"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let start: Value = r.json().await.unwrap();
    assert!(start["registration"].is_object(), "filed: {start}");
    for key in fields("Event") {
        assert!(start.get(&key).is_some(), "an event has {key}: {start}");
    }

    // Every operation documented is routed: asked with real ids by someone who may, none
    // answers "no such address" (404) or "no such method" (405).
    let paths = doc["paths"].as_object().unwrap();
    for required in [
        "/api/v1/forms/{id}/submissions",
        "/api/v1/submissions/{id}",
        "/api/v1/submissions/{id}/replies",
        "/api/v1/office/applications",
        "/api/v1/office/applications/{id}",
        "/api/v1/office/applications/{id}/events",
        "/api/v1/office/applications/bulk",
    ] {
        assert!(paths.contains_key(required), "{required} is documented");
    }
    let administrator = server.staff_client("FRRNNA80A41L219D").await;
    let protocol = &detail["protocol"];
    let number = protocol["number"]
        .as_str()
        .unwrap()
        .trim_start_matches('0')
        .to_owned();
    for (path, ops) in paths {
        let form_path = path.starts_with("/api/v1/forms/");
        let concrete = path
            .replace("{id}", if form_path { "patrocinio" } else { &id })
            .replace("{event}", &start["id"].to_string())
            .replace("{year}", &protocol["year"].to_string())
            .replace("{number}", &number);
        let who = if path.starts_with("/api/v1/office/") {
            &administrator
        } else {
            &citizen
        };
        for (method, op) in ops.as_object().unwrap() {
            let mut request = who
                .request(method.to_uppercase().parse().unwrap(), app.at(&concrete))
                .header("Origin", &app.url);
            if method == "post" {
                request = if op["requestBody"]["content"]
                    .get("application/json")
                    .is_some()
                {
                    request
                        .header("Content-Type", "application/json")
                        .body("{}")
                } else {
                    request
                        .header("Content-Type", "multipart/form-data; boundary=x")
                        .body("--x--\r\n")
                };
            }
            let r = request.send().await.unwrap();
            let status = r.status();
            assert!(
                status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {concrete}: {status} {}",
                r.text().await.unwrap()
            );
        }
    }

    let application: Value = operator
        .get(app.at(&format!("/api/v1/office/applications/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for key in fields("OfficeApplication") {
        assert!(application.get(&key).is_some(), "the application has {key}");
    }
    let refusal: Value = app
        .client()
        .get(app.at(&format!("/api/v1/submissions/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for key in fields("ErrorDetail") {
        assert!(
            refusal["error"].get(&key).is_some(),
            "an error has {key}: {refusal}"
        );
    }
}
