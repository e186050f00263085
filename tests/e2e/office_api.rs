//! The back office in the JSON API: a queue, an application with its case, and an event that
//! answers 201 with its registration once filed; the same roles, procedure, reach and
//! cross-site refusals as the pages, in JSON.

use istanze_tests::{Server, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::administrations::{two_administrations, CITIZEN, MUNICIPALITY};

const OPERATOR: &str = "MRNLRA82C53L219U";

async fn staff(server: &Server, _app: &TestApp) -> Client {
    server.staff_client(OPERATOR).await
}

async fn event(
    server: &Server,
    c: &Client,
    id: &str,
    body: Value,
    origin: &str,
) -> (StatusCode, Value) {
    let r = c
        .post(server.at(&format!("/api/v1/office/applications/{id}/events")))
        .header("Origin", origin)
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn staff_work_through_the_api_with_the_pages_rules() {
    let app = two_administrations().await;
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&citizen).await;
    app.wait_for_protocol(&citizen, &id).await;
    let operator = staff(&app, &app).await;

    let queue: Value = operator
        .get(app.at("/api/v1/office/applications?queue=to_take&form=patrocinio"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(queue["total"], 1);
    assert_eq!(queue["items"][0]["id"], id.as_str());
    assert_eq!(queue["items"][0]["state"], "received");
    let r = operator
        .get(app.at("/api/v1/office/applications?queue=everything"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // Narrowed by state, office, assignee and days received; a value of no kind is refused.
    let today = istanze_protocol::rome::local(chrono::Utc::now()).date_naive();
    let tomorrow = today + chrono::Duration::days(1);
    for (query, expected) in [
        (
            format!("state=received&received_from={today}&received_to={today}"),
            1,
        ),
        (format!("received_from={tomorrow}"), 0),
        ("state=accepted".to_owned(), 0),
        ("office=cultura".to_owned(), 0),
    ] {
        let list: Value = operator
            .get(app.at(&format!(
                "/api/v1/office/applications?queue=to_take&{query}"
            )))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(list["total"], expected, "{query}: {list}");
    }
    for bad in ["state=sideways", "received_from=ieri"] {
        let r = operator
            .get(app.at(&format!("/api/v1/office/applications?{bad}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    let page = app
        .page(
            &operator,
            &format!("/ufficio/domande?stato=received&dal={today}"),
        )
        .await;
    assert!(page.contains(&id), "{page}");
    let page = app.page(&operator, "/ufficio/domande?stato=accepted").await;
    assert!(!page.contains(&format!("/ufficio/domande/{id}")), "{page}");

    // The notice of start: 201 with its registration, filed in the application's case file.
    let (status, start) = event(&app, &operator, &id, json!({"type": "start"}), &app.url).await;
    assert_eq!(status, StatusCode::CREATED, "{start}");
    assert_eq!(start["type"], "start");
    assert!(start["registration"]["number"].is_string(), "{start}");
    let url = start["document"]["url"].as_str().unwrap();
    assert_eq!(
        url,
        format!(
            "/api/v1/office/applications/{id}/events/{}/document",
            start["id"]
        )
    );
    let r = operator.get(app.at(url)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));

    // The procedure's and the roles' refusals, in JSON.
    let (status, body) = event(
        &app,
        &operator,
        &id,
        json!({"type": "integration_request", "message": "Manca"}),
        &app.url,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("una voce per riga"),
        "{body}"
    );
    let (status, body) = event(&app, &operator, &id, json!({"type": "accept"}), &app.url).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("responsabile del procedimento"),
        "{body}"
    );
    let (status, _) = event(
        &app,
        &operator,
        &id,
        json!({"type": "start", "extra": 1}),
        &app.url,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "unknown fields are refused"
    );
    let (status, _) = event(
        &app,
        &operator,
        &id,
        json!({"type": "review"}),
        "https://evil.example",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "cross-site");

    let detail: Value = operator
        .get(app.at(&format!("/api/v1/office/applications/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["case"]["state"], "in_charge");
    assert_eq!(detail["events"].as_array().unwrap().len(), 1);
    assert!(detail["case"]["case_file"].as_str().unwrap().ends_with(&id));
    assert!(detail["answers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["label"] == "Titolo dell'evento" && a["value"] == "Festa della musica"));

    // A citizen's session is no staff's; another administration's staff find nothing.
    let r = citizen
        .get(app.at("/api/v1/office/applications"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.json::<Value>().await.unwrap()["error"]["message"].is_string());
    let municipality = app.ente(MUNICIPALITY);
    let there = staff(&municipality, &app).await;
    let r = there
        .get(municipality.at(&format!("/api/v1/office/applications/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let list: Value = there
        .get(municipality.at("/api/v1/office/applications?queue=decided"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
}
