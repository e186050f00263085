//! Bulk actions from the queue: the applications ticked are each handled on their own with the
//! rules of their own page, the answer says what happened to each (with the rule that refused
//! one), every application touched is in the audit log, and a selection exports as a file.

use istanze_server::store::audit::AuditStore;
use istanze_tests::{hidden, Server, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::administrations::CITIZEN;

const OPERATOR: &str = "MRNLRA82C53L219U";
const AUDITOR: &str = "LBRGNN72H16L219M";

fn text(html: String) -> String {
    html.replace("&#39;", "'").replace("&#x27;", "'")
}

async fn bulk(app: &TestApp, c: &reqwest::Client, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let page = app.page(c, "/ufficio/domande?coda=da-prendere").await;
    let mut form = vec![("_csrf", hidden(&page, "_csrf"))];
    form.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let r = c
        .post(app.at("/ufficio/domande/azioni"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, text(r.text().await.unwrap()))
}

async fn state_of(app: &TestApp, c: &reqwest::Client, id: &str) -> Value {
    let v: Value = c
        .get(app.at(&format!("/api/v1/office/applications/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["case"]["state"].clone()
}

async fn entries_have(app: &TestApp, actor: &str, action: &str, object: &str) -> bool {
    let admin = app.state.tenants.iter().next().unwrap().id.clone();
    let entries = app
        .state
        .scoped(&admin)
        .entries_after(0, 1000)
        .await
        .unwrap();
    entries
        .iter()
        .any(|e| e.actor == actor && e.action == action && e.object == object)
}

#[tokio::test]
async fn bulk_actions_report_each_application_and_keep_each_rule() {
    let app = TestApp::spawn().await;
    let server: &Server = &app;
    let mut ids = Vec::new();
    for cf in [CITIZEN, "BNCLCU92M55F205G", CITIZEN] {
        let citizen = app.client();
        app.login(&citizen, cf, 2).await;
        let id = app.submit_patrocinio(&citizen).await;
        app.wait_for_protocol(&citizen, &id).await;
        ids.push(id);
    }
    let (a, b, c) = (ids[0].as_str(), ids[1].as_str(), ids[2].as_str());
    let operator = server.staff_client(OPERATOR).await;
    let queue = app
        .page(&operator, "/ufficio/domande?coda=da-prendere")
        .await;
    assert!(
        queue.contains(&format!("name=\"domanda\" value=\"{a}\"")),
        "{queue}"
    );

    // Nothing ticked, or an action of no kind: refused, with the reason.
    let (status, body) = bulk(
        &app,
        &operator,
        &[("azione", "evento"), ("evento", "start")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Spunta almeno una domanda"), "{body}");
    let (status, body) = bulk(&app, &operator, &[("azione", "distruggi"), ("domanda", a)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("Scegli un'azione tra quelle dell'elenco"),
        "{body}"
    );

    let (status, body) = bulk(
        &app,
        &operator,
        &[
            ("azione", "evento"),
            ("evento", "start"),
            ("domanda", a),
            ("domanda", b),
            ("domanda", a),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("2 domande fatte, 0 non fatte."), "{body}");
    assert_eq!(state_of(&app, &operator, a).await, "in_charge");
    assert_eq!(state_of(&app, &operator, b).await, "in_charge");
    assert_eq!(state_of(&app, &operator, c).await, "received");

    // A second start is refused by the procedure for the one already started, not the other;
    // an id that is no application is named and refused as not found.
    let (status, body) = bulk(
        &app,
        &operator,
        &[
            ("azione", "evento"),
            ("evento", "start"),
            ("domanda", a),
            ("domanda", c),
            ("domanda", "nessuna"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("1 domanda fatta, 2 non fatte."), "{body}");
    assert!(
        body.contains("Questa azione non è possibile nello stato in cui si trova la domanda"),
        "{body}"
    );
    assert!(body.contains("<code>nessuna</code>"), "{body}");
    assert_eq!(state_of(&app, &operator, c).await, "in_charge");

    // Labels: a bad one is refused for each, a good one lands on each.
    let (_, body) = bulk(
        &app,
        &operator,
        &[
            ("azione", "aggiungi-etichetta"),
            ("etichetta", "<b>"),
            ("domanda", a),
            ("domanda", b),
        ],
    )
    .await;
    assert!(body.contains("0 domande fatte, 2 non fatte."), "{body}");
    assert!(body.contains("Un'etichetta ha da 1 a 40 lettere"), "{body}");
    let (_, body) = bulk(
        &app,
        &operator,
        &[
            ("azione", "aggiungi-etichetta"),
            ("etichetta", "urgente"),
            ("domanda", a),
            ("domanda", b),
        ],
    )
    .await;
    assert!(body.contains("2 domande fatte, 0 non fatte."), "{body}");
    for id in [a, b] {
        let v: Value = operator
            .get(app.at(&format!("/api/v1/office/applications/{id}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["labels"], json!(["urgente"]), "{id}");
    }
    // The export of a selection ignores the other boxes of the form (an office typed to
    // assign to is no filter of it).
    // The selection as a file: exactly the applications ticked, whatever their queue.
    let page = app
        .page(&operator, "/ufficio/domande?coda=da-prendere")
        .await;
    let r = operator
        .post(app.at("/ufficio/domande/azioni"))
        .form(&[
            ("_csrf", hidden(&page, "_csrf").as_str()),
            ("azione", "esporta"),
            ("formato", "csv"),
            ("ufficio", "nessuno"),
            ("etichetta", "urgente"),
            ("domanda", a),
            ("domanda", c),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().await.unwrap();
    assert_eq!(csv.lines().count(), 3, "a header and two rows: {csv}");
    assert!(
        csv.contains(a) && csv.contains(c) && !csv.contains(b),
        "{csv}"
    );
    for id in [a, c] {
        assert!(
            entries_have(&app, OPERATOR, "bulk export", id).await,
            "{id} export audited"
        );
    }

    // The API: the same action, its results in order, each refusal with its status.
    let r = operator
        .post(app.at("/api/v1/office/applications/bulk"))
        .header("Origin", &app.url)
        .json(&json!({"ids": [b, a], "action": "unlabel", "label": "urgente"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let results: Value = r.json().await.unwrap();
    assert_eq!(results["results"][0]["id"], b);
    assert_eq!(results["results"][0]["done"], true);
    assert_eq!(results["results"][1]["done"], true);
    let auditor = server.staff_client(AUDITOR).await;
    let r = auditor
        .post(app.at("/api/v1/office/applications/bulk"))
        .header("Origin", &app.url)
        .json(&json!({"ids": [a], "action": "event", "event": {"type": "close", "message": "Chiusa"}}))
        .send()
        .await
        .unwrap();
    let results: Value = r.json().await.unwrap();
    assert_eq!(results["results"][0]["done"], false, "{results}");
    assert_eq!(results["results"][0]["error"]["status"], 403);
    assert_eq!(results["results"][0]["error"]["code"], "forbidden");
    assert_eq!(state_of(&app, &operator, a).await, "in_charge");
    let r = operator
        .post(app.at("/api/v1/office/applications/bulk"))
        .header("Origin", &app.url)
        .json(&json!({"ids": vec![a; 201].iter().enumerate().map(|(i, _)| format!("{i}")).collect::<Vec<_>>(), "action": "label", "label": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("al massimo 200"));

    // Each application touched is in the audit log under its own id.
    let admin = app.state.tenants.iter().next().unwrap().id.clone();
    let entries = app
        .state
        .scoped(&admin)
        .entries_after(0, 1000)
        .await
        .unwrap();
    for id in [a, b] {
        assert!(
            entries
                .iter()
                .any(|e| e.actor == OPERATOR && e.action == "bulk event" && e.object == id),
            "{id} audited"
        );
    }
    assert!(entries
        .iter()
        .any(|e| e.actor == AUDITOR && e.action == "bulk event" && e.object == a));
}
