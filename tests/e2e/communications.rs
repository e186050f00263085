//! The communications of a procedure (L. 241/1990) end to end: each one the office sends
//! (notice of start, integration request, notice of intended refusal, decision) becomes a
//! PDF/A document filed as an outgoing registration and reaches the citizen's page and
//! mailbox (a real SMTP server on loopback); each reply of the citizen (the integration, with
//! its files, and the observations) is filed as an incoming registration; all of them sit in
//! the application's case file, and the term counts the suspension.

use std::time::Duration;

use chrono::Datelike;
use istanze_tests::smtp::{Security, SmtpSink};
use istanze_tests::{hidden, pdf_text, test_settings, Server, TestApp};
use mailparse::MailHeaderMap;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::Value;

use crate::administrations::CITIZEN;

const OPERATOR: &str = "MRNLRA82C53L219U";
const MANAGER: &str = "CNTMRC79D14L219F";

async fn staff(server: &Server, _app: &TestApp, cf: &str) -> Client {
    server.staff_client(cf).await
}

/// Posts event `fields` (with the page's token) on case `id`: the status and the page.
async fn event(
    app: &TestApp,
    c: &Client,
    id: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    app.post_case_form(c, id, "eventi", fields).await
}

/// The application as its citizen reads it through the API.
async fn application(app: &TestApp, c: &Client, id: &str) -> Value {
    c.get(app.at(&format!("/api/v1/submissions/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Waits until the citizen sees `n` events, every one registered; past the limit, fails
/// with the errors of the jobs still pending.
async fn registered(app: &TestApp, c: &Client, id: &str, n: usize) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let events = application(app, c, id).await["events"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if events.len() == n && events.iter().all(|e| !e["registration"].is_null()) {
            return events;
        }
        if tokio::time::Instant::now() > deadline {
            let db = Database::connect(app.settings.database.url.as_deref().unwrap())
                .await
                .unwrap();
            let pending: Vec<String> = db
                .query_all(Statement::from_string(
                    db.get_database_backend(),
                    "SELECT kind, last_error FROM jobs WHERE done_at IS NULL",
                ))
                .await
                .unwrap()
                .into_iter()
                .map(|r| {
                    format!(
                        "{}: {:?}",
                        r.try_get::<String>("", "kind").unwrap(),
                        r.try_get::<Option<String>>("", "last_error").unwrap()
                    )
                })
                .collect();
            panic!(
                "{n} events of {id} not registered in 30 s: {events:?}; pending jobs {pending:?}"
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn page_text(html: &str) -> String {
    html.replace("&#39;", "'").replace("&#x27;", "'")
}

async fn rows(url: &str, sql: &str) -> Vec<(String, String, i32)> {
    let db = Database::connect(url).await.unwrap();
    db.query_all(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.try_get::<String>("", "direction").unwrap(),
                r.try_get::<String>("", "case_file_code").unwrap(),
                r.try_get::<i32>("", "attachment_count").unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_application_goes_through_every_communication_each_filed_in_one_case_file() {
    let sink = SmtpSink::start(Security::Implicit, 0);
    let (mut settings, dir) = test_settings().await;
    settings.notifications.email = Some(sink.email_settings());
    let clock = std::sync::Arc::new(istanze_server::clock::ShiftedClock::new());
    let app = TestApp::spawn_with_clock(settings, dir, clock.clone()).await;
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&citizen).await;
    let filed = app.wait_for_protocol(&citizen, &id).await;
    assert_eq!(filed["case"]["state"], "received");
    let received_due = filed["case"]["due"].as_str().unwrap().to_owned();
    sink.wait_for(1).await;

    // The notice of start names the office's procedure manager and the term (art. 8).
    let operator = staff(&app, &app, OPERATOR).await;
    let (status, _) = event(
        &app,
        &operator,
        &id,
        &[("tipo", "start"), ("messaggio", "")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let events = registered(&app, &citizen, &id, 1).await;
    assert_eq!(events[0]["type"], "start");
    assert_eq!(events[0]["from"], "administration");
    let mails = sink.wait_for(2).await;
    let mail = mailparse::parse_mail(&mails[1].0).unwrap();
    let subject = mail.headers.get_first_value("Subject").unwrap();
    let start_number = events[0]["registration"]["number"].as_str().unwrap();
    assert!(
        subject.contains("Comunicazione di avvio del procedimento"),
        "{subject}"
    );
    assert!(subject.contains(start_number), "{subject}");
    let notice = pdf_text(&mail.subparts[1].get_body_raw().unwrap());
    assert!(
        notice.contains(
            "Responsabile del procedimento Il responsabile dell'unità organizzativa competente"
        ),
        "Laura is an office operator: the head of the unit is the manager until one is named: \
         {notice}"
    );
    assert!(notice.contains("Avviato da Laura Marino"), "{notice}");
    assert!(notice.contains("articoli 7 e 8"), "{notice}");

    // The integration request, item by item, with its deadline: on the citizen's page, with
    // the upload form next to it.
    let (status, page) = event(
        &app,
        &operator,
        &id,
        &[
            ("tipo", "integration_request"),
            ("messaggio", "Servono per concedere il patrocinio."),
            (
                "voci",
                "Programma dell'evento firmato\n\nCopia del documento d'identità\n",
            ),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let asked_on = istanze_protocol::rome::local(app.state.clock.now()).date_naive();
    registered(&app, &citizen, &id, 2).await;
    let mine = page_text(&app.page(&citizen, &format!("/domande/{id}")).await);
    assert!(
        mine.contains("L'ufficio ti chiede di integrare la domanda"),
        "{mine}"
    );
    let by = (asked_on + chrono::Duration::days(30))
        .format("%d/%m/%Y")
        .to_string();
    assert!(mine.contains(&format!("Rispondi entro il {by}")), "{mine}");
    assert!(
        mine.contains("<li>Programma dell'evento firmato</li>"),
        "{mine}"
    );
    assert!(
        mine.contains("<li>Copia del documento d'identità</li>"),
        "{mine}"
    );
    assert!(
        mine.contains(&format!("action=\"/domande/{id}/risposta\"")),
        "{mine}"
    );
    assert!(mine.contains("(sospeso)"), "the term is suspended: {mine}");
    let mails = sink.wait_for(3).await;
    let text = mailparse::parse_mail(&mails[2].0).unwrap().subparts[0]
        .get_body()
        .unwrap();
    assert!(
        text.contains(&format!("DEVI RISPONDERE ENTRO IL {by}")),
        "{text}"
    );

    // Three days later the citizen logs in again and sends the documents from the page.
    clock.advance(chrono::Duration::days(3));
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let mine = app.page(&citizen, &format!("/domande/{id}")).await;
    let form = Form::new()
        .text("_csrf", hidden(&mine, "_csrf"))
        .text("tipo", "integrazione")
        .text("messaggio", "Ecco i documenti richiesti.")
        .part(
            "documenti",
            Part::bytes(istanze_tests::small_pdf("Programma firmato")).file_name("programma.pdf"),
        )
        .part(
            "documenti",
            Part::bytes(istanze_tests::small_pdf("Documento")).file_name("documento.pdf"),
        );
    let r = citizen
        .post(app.at(&format!("/domande/{id}/risposta")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        format!("/domande/{id}#cronologia").as_str()
    );
    let events = registered(&app, &citizen, &id, 3).await;
    assert_eq!(events[2]["type"], "integration_received");
    assert_eq!(events[2]["from"], "citizen");
    assert_eq!(events[2]["files"].as_array().unwrap().len(), 2);
    // The term ran again with three days more (art. 2 c. 7).
    let due = chrono::NaiveDate::parse_from_str(&received_due, "%Y-%m-%d").unwrap();
    let case = application(&app, &citizen, &id).await["case"].clone();
    assert_eq!(case["state"], "integration_received");
    assert_eq!(case["suspended"], false);
    assert_eq!(case["due"], (due + chrono::Duration::days(3)).to_string());
    let operator = staff(&app, &app, OPERATOR).await;
    let staff_page = app.page(&operator, &format!("/ufficio/domande/{id}")).await;
    assert!(staff_page.contains("programma.pdf") && staff_page.contains("documento.pdf"));

    // The notice of intended refusal (art. 10-bis) and the observations through the API.
    let (status, _) = event(
        &app,
        &operator,
        &id,
        &[
            ("tipo", "notice_of_refusal"),
            (
                "messaggio",
                "Il programma non è firmato dal legale rappresentante.",
            ),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    registered(&app, &citizen, &id, 4).await;
    let mine = page_text(&app.page(&citizen, &format!("/domande/{id}")).await);
    assert!(
        mine.contains("Preavviso di rigetto: puoi presentare osservazioni"),
        "{mine}"
    );
    let form = Form::new()
        .text("type", "observations")
        .text(
            "message",
            "Il legale rappresentante ha firmato: allego il programma.",
        )
        .part(
            "documents",
            Part::bytes(istanze_tests::small_pdf("Firmato")).file_name("firmato.pdf"),
        );
    let r = citizen
        .post(app.at(&format!("/api/v1/submissions/{id}/replies")))
        .header("Origin", app.url.clone())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let sent: Value = r.json().await.unwrap();
    assert_eq!(sent["type"], "observations_received");

    // The procedure manager accepts.
    let manager = staff(&app, &app, MANAGER).await;
    let (status, _) = event(
        &app,
        &manager,
        &id,
        &[
            ("tipo", "accept"),
            ("messaggio", "Le osservazioni superano il motivo ostativo."),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let events = registered(&app, &citizen, &id, 6).await;
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "start",
            "integration_request",
            "integration_received",
            "notice_of_refusal",
            "observations_received",
            "accept"
        ]
    );
    let numbers: std::collections::BTreeSet<&str> = events
        .iter()
        .map(|e| e["registration"]["number"].as_str().unwrap())
        .chain([filed["protocol"]["number"].as_str().unwrap()])
        .collect();
    assert_eq!(numbers.len(), 7, "every registration its own number");

    // One case file holds them all, in the register itself; outgoing from the office,
    // incoming from the citizen, each reply with its files.
    let entries = rows(
        app.settings.database.url.as_deref().unwrap(),
        "SELECT direction, case_file_code, attachment_count FROM protocol_entries ORDER BY id",
    )
    .await;
    let year = istanze_protocol::rome::local(app.state.clock.now()).year();
    let code = format!("1.8/{year}/{id}");
    assert_eq!(
        entries,
        [
            ("A".into(), code.clone(), 0),
            ("P".into(), code.clone(), 0),
            ("P".into(), code.clone(), 0),
            ("A".into(), code.clone(), 2),
            ("P".into(), code.clone(), 0),
            ("A".into(), code.clone(), 1),
            ("P".into(), code.clone(), 0),
        ]
    );

    // Each of the office's four communications reached the citizen's mailbox, with its
    // document; the decision's document reads as one, on the citizen's page too.
    let mails = sink.wait_for(5).await;
    assert_eq!(mails.len(), 5, "no e-mail for the citizen's own replies");
    let decision = mailparse::parse_mail(&mails[4].0).unwrap();
    let subject = decision.headers.get_first_value("Subject").unwrap();
    assert!(
        subject.starts_with("Provvedimento di accoglimento"),
        "{subject}"
    );
    let url = events[5]["document"]["url"].as_str().unwrap();
    let pdf = citizen
        .get(app.at(url))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains("La domanda è accolta."), "{text}");
    assert!(text.contains(&format!("Fascicolo {code}")), "{text}");
    let mine = page_text(&app.page(&citizen, &format!("/domande/{id}")).await);
    assert!(mine.contains("Accolta"), "{mine}");
    assert!(
        !mine.contains("action=\"/domande/"),
        "nothing left to send: {mine}"
    );
}

#[tokio::test]
async fn replies_and_requests_the_procedure_does_not_allow_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&citizen).await;
    app.wait_for_protocol(&citizen, &id).await;
    let reply = |c: &Client, kind: &str, message: &str| {
        let form = Form::new()
            .text("type", kind.to_owned())
            .text("message", message.to_owned());
        c.post(app.at(&format!("/api/v1/submissions/{id}/replies")))
            .header("Origin", app.url.clone())
            .multipart(form)
            .send()
    };
    // Nothing was asked: no integration now.
    let r = reply(&citizen, "integration", "Ecco").await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("non è possibile"),
        "{body}"
    );
    let r = reply(&citizen, "appeal", "Ecco").await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    let operator = staff(&app, &app, OPERATOR).await;
    // An integration request names what is missing, and gives at most 30 days.
    let (status, page) = event(
        &app,
        &operator,
        &id,
        &[("tipo", "start"), ("messaggio", "")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let (status, page) = event(
        &app,
        &operator,
        &id,
        &[
            ("tipo", "integration_request"),
            ("messaggio", "Manca qualcosa"),
            ("voci", " \n "),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("una voce per riga"), "{page}");
    let far = (chrono::Utc::now().date_naive() + chrono::Duration::days(45)).to_string();
    let (status, page) = event(
        &app,
        &operator,
        &id,
        &[
            ("tipo", "integration_request"),
            ("voci", "Programma"),
            ("entro", &far),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("non oltre trenta giorni"), "{page}");
    let (status, _) = event(
        &app,
        &operator,
        &id,
        &[("tipo", "integration_request"), ("voci", "Programma")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // An empty reply, and another citizen's: refused, and the case still waits.
    let r = reply(&citizen, "integration", "  ").await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("allega almeno un documento"),
        "{body}"
    );
    let lucia = app.client();
    app.login(&lucia, "BNCLCU92M55F205G", 2).await;
    let r = reply(&lucia, "integration", "Non è mia").await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let case = application(&app, &citizen, &id).await;
    assert_eq!(case["case"]["state"], "awaiting_integration");
    assert_eq!(case["case"]["awaiting"], "integration_received");

    // Withdrawn by the citizen from the page: filed as theirs, and the case is over.
    let mine = app.page(&citizen, &format!("/domande/{id}")).await;
    let form = Form::new()
        .text("_csrf", hidden(&mine, "_csrf"))
        .text("tipo", "rinuncia")
        .text("messaggio", "");
    let r = citizen
        .post(app.at(&format!("/domande/{id}/risposta")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let events = registered(&app, &citizen, &id, 3).await;
    assert_eq!(events[2]["type"], "withdraw");
    assert_eq!(events[2]["from"], "citizen");
    let case = application(&app, &citizen, &id).await;
    assert_eq!(case["case"]["state"], "withdrawn");
    let r = reply(&citizen, "integration", "Ripensamento")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
}
