//! The back office's cases: a filed application appears in the queue to take, staff move it
//! through the procedure (L. 241/1990) within their roles, the procedure refuses what it does
//! not allow and says why, and no member of staff reaches another administration's cases.

use istanze_tests::{hidden, Server, TestApp};
use reqwest::{Client, StatusCode};

use crate::administrations::{two_administrations, CITIZEN, MUNICIPALITY};

const OPERATOR: &str = "MRNLRA82C53L219U";
const MANAGER: &str = "CNTMRC79D14L219F";
const AUDITOR: &str = "LBRGNN72H16L219M";
const DESIGNER: &str = "GLLPLA75B12L219L";

async fn staff(server: &Server, _app: &TestApp, cf: &str) -> Client {
    server.staff_client(cf).await
}

/// Records event `tipo` on case `id` from the case page's form: the answer's status and the
/// page it leads to (the case page again, with a refusal, or after the redirect).
async fn event(
    server: &Server,
    c: &Client,
    id: &str,
    tipo: &str,
    messaggio: &str,
) -> (StatusCode, String) {
    event_with(server, c, id, &[("tipo", tipo), ("messaggio", messaggio)]).await
}

/// [`event`] with the form's `fields`, the case page again after a redirect.
async fn event_with(
    server: &Server,
    c: &Client,
    id: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let (status, text) = server.post_case_form(c, id, "eventi", fields).await;
    if status == StatusCode::SEE_OTHER {
        return (
            status,
            server.page(c, &format!("/ufficio/domande/{id}")).await,
        );
    }
    (status, text)
}

#[tokio::test]
async fn an_application_goes_from_the_queue_through_an_integration_request_to_closure() {
    let app = TestApp::spawn().await;
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&citizen).await;
    app.wait_for_protocol(&citizen, &id).await;

    let operator = staff(&app, &app, OPERATOR).await;
    let queue = app.page(&operator, "/ufficio/domande").await;
    assert!(queue.contains(&format!("/ufficio/domande/{id}")), "{queue}");
    assert!(
        queue.contains("1 domanda, dal termine più vicino"),
        "{queue}"
    );
    let case = app.page(&operator, &format!("/ufficio/domande/{id}")).await;
    assert!(case.contains("Risposte del cittadino"));
    assert!(case.contains("Ricevuta"), "the state");
    assert!(
        case.contains("30 giorni rimasti") || case.contains("29 giorni rimasti"),
        "{case}"
    );

    let (status, page) = event(&app, &operator, &id, "start", "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        page.contains("Presa in carico e avvio del procedimento"),
        "the timeline"
    );
    assert!(
        !app.page(&operator, "/ufficio/domande").await.contains(&id),
        "no longer to take"
    );

    // What is missing must be said, item by item.
    let (status, page) = event(&app, &operator, &id, "integration_request", "  ").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("una voce per riga"), "{page}");
    let (status, page) = event_with(
        &app,
        &operator,
        &id,
        &[
            ("tipo", "integration_request"),
            ("messaggio", "Manca il programma dell'evento firmato."),
            ("voci", "Programma dell'evento firmato"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.contains("In attesa di integrazione"));
    assert!(page.contains("(sospeso)"), "the term is suspended: {page}");
    assert!(page.contains("Manca il programma dell'evento firmato."));
    let waiting = app.page(&operator, "/ufficio/domande?coda=in-attesa").await;
    assert!(waiting.contains(&id));

    // Waiting for the citizen: no decision now, whoever asks.
    let manager = staff(&app, &app, MANAGER).await;
    let (status, page) = event(&app, &manager, &id, "accept", "").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("non è possibile nello stato in cui si trova la domanda"),
        "{page}"
    );
    // Closed without follow-up is the operator's to record.
    let (status, page) = event(&app, &operator, &id, "close", "Nessuna risposta.").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.contains("Archiviata senza seguito"));
    assert!(
        !page.contains("Prossime azioni"),
        "a closed case takes no event"
    );
    assert!(app
        .page(&operator, "/ufficio/domande?coda=decise")
        .await
        .contains(&id));
}

#[tokio::test]
async fn decisions_are_the_procedure_managers_and_auditors_only_read() {
    let app = TestApp::spawn().await;
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&citizen).await;
    app.wait_for_protocol(&citizen, &id).await;

    let auditor = staff(&app, &app, AUDITOR).await;
    assert!(app
        .page(&auditor, &format!("/ufficio/domande/{id}"))
        .await
        .contains("Risposte del cittadino"));
    let (status, page) = event(&app, &auditor, &id, "start", "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("spetta a un operatore d'ufficio"), "{page}");

    let operator = staff(&app, &app, OPERATOR).await;
    assert_eq!(
        event(&app, &operator, &id, "start", "").await.0,
        StatusCode::SEE_OTHER
    );
    let (status, page) = event(&app, &operator, &id, "accept", "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        page.contains("La decisione spetta al responsabile del procedimento"),
        "{page}"
    );
    // No refusal without a notice of intended refusal (art. 10-bis).
    let manager = staff(&app, &app, MANAGER).await;
    let (status, page) = event(&app, &manager, &id, "refuse", "Fuori termine.").await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    let (status, page) = event(&app, &manager, &id, "accept", "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.contains("Accolta"));

    // A form designer's work needs no applicant's data.
    let designer = staff(&app, &app, DESIGNER).await;
    let r = designer
        .get(app.at(&format!("/ufficio/domande/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(!app
        .page(&designer, "/ufficio/domande?coda=decise")
        .await
        .contains(&id));
}

#[tokio::test]
async fn staff_of_one_administration_reach_no_case_of_another() {
    let app = two_administrations().await;
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&citizen).await;
    app.wait_for_protocol(&citizen, &id).await;
    let municipality = app.ente(MUNICIPALITY);
    let there = staff(&municipality, &app, OPERATOR).await;
    let r = there
        .get(municipality.at(&format!("/ufficio/domande/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    for coda in ["da-prendere", "decise", "in-attesa", "in-scadenza", "mie"] {
        let page = municipality
            .page(&there, &format!("/ufficio/domande?coda={coda}"))
            .await;
        assert!(!page.contains(&id), "{coda}");
    }
    // A write with the member's own valid token (from the logout form of their header).
    let page = municipality.page(&there, "/ufficio/domande").await;
    let r = there
        .post(municipality.at(&format!("/ufficio/domande/{id}/eventi")))
        .form(&[
            ("_csrf", hidden(&page, "_csrf").as_str()),
            ("tipo", "start"),
            ("messaggio", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // The province's case is untouched.
    let operator = staff(&app, &app, OPERATOR).await;
    assert!(app
        .page(&operator, &format!("/ufficio/domande/{id}"))
        .await
        .contains("Nessun evento"));
}
