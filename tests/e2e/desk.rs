//! Staff's own work on a case: assignment to an office and a person who works there, private
//! notes the citizen never sees, labels that narrow a queue; each refused with its reason when
//! it does not fit, and only by those who do the office's work.

use istanze_domain::{FiscalCode, OfficeCode, Reach, Role};
use istanze_server::store::staff::StaffStore;
use istanze_tests::TestApp;
use reqwest::{Client, StatusCode};

use crate::administrations::CITIZEN;

const OPERATOR: &str = "MRNLRA82C53L219U";
const AUDITOR: &str = "LBRGNN72H16L219M";
/// The demo records manager, made by the test an operator of the office `cultura` only.
const CULTURE: &str = "RCCSRA86E55L219B";
/// The demo form designer, given by the test an operator's role at the office `sport`.
const SPORT: &str = "GLLPLA75B12L219L";

async fn staff(app: &TestApp, cf: &str) -> Client {
    app.staff_client(cf).await
}

async fn post(
    app: &TestApp,
    c: &Client,
    id: &str,
    what: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    app.post_case_form(c, id, what, fields).await
}

#[tokio::test]
async fn cases_are_assigned_noted_and_labelled_by_those_who_work_on_them() {
    let app = TestApp::spawn().await;
    let admin = app.state.tenants.iter().next().unwrap().id.clone();
    let db = app.state.scoped(&admin);
    db.revoke(
        &FiscalCode::parse(CULTURE).unwrap(),
        Role::RecordsManager,
        &Reach::Administration,
    )
    .await
    .unwrap();
    for (cf, office) in [(CULTURE, "cultura"), (SPORT, "sport")] {
        let reach = Reach::Office(OfficeCode::parse(office).unwrap());
        db.grant(
            &FiscalCode::parse(cf).unwrap(),
            Role::Operator,
            &reach,
            "test",
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    }
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&citizen).await;
    app.wait_for_protocol(&citizen, &id).await;
    let operator = staff(&app, OPERATOR).await;

    // An office nobody works at would hide the case from everyone.
    let (status, page) = post(
        &app,
        &operator,
        &id,
        "assegna",
        &[("ufficio", "inesistente")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Nessuno lavora in quell'ufficio"), "{page}");
    // To the culture office's operator: a person of another office cannot take it there.
    let (status, page) = post(
        &app,
        &operator,
        &id,
        "assegna",
        &[("ufficio", "cultura"), ("persona", SPORT)],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("non ha un ruolo di operatore o di responsabile per quell'ufficio"),
        "{page}"
    );
    let (status, _) = post(
        &app,
        &operator,
        &id,
        "assegna",
        &[("ufficio", "cultura"), ("persona", CULTURE)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let culture = staff(&app, CULTURE).await;
    let mine = app.page(&culture, "/ufficio/domande?coda=mie").await;
    assert!(mine.contains(&id), "in the assignee's queue: {mine}");
    let sport = staff(&app, SPORT).await;
    let r = sport
        .get(app.at(&format!("/ufficio/domande/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "another office's case is not there"
    );
    // The culture office's operator hands it on within the office only.
    let (status, page) = post(&app, &culture, &id, "assegna", &[("ufficio", "sport")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("solo agli uffici in cui operi"), "{page}");

    // A private note: staff read it, the citizen never does; the auditor only reads.
    let (status, page) = post(&app, &culture, &id, "note", &[("testo", "   ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Scrivi il testo della nota."), "{page}");
    let note = "Telefonato al richiedente: manda il programma domani.";
    let (status, _) = post(&app, &culture, &id, "note", &[("testo", note)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let auditor = staff(&app, AUDITOR).await;
    assert!(app
        .page(&auditor, &format!("/ufficio/domande/{id}"))
        .await
        .contains(note));
    let (status, _) = post(&app, &auditor, &id, "note", &[("testo", "Mia nota")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!app
        .page(&citizen, &format!("/domande/{id}"))
        .await
        .contains("Telefonato"));
    let api: serde_json::Value = citizen
        .get(app.at(&format!("/api/v1/submissions/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!api.to_string().contains("Telefonato"));

    // Labels narrow the queue; a label is a short word.
    let (status, page) = post(
        &app,
        &culture,
        &id,
        "etichette",
        &[("etichetta", "<b>"), ("azione", "aggiungi")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("da 1 a 40 lettere"), "{page}");
    let (status, _) = post(
        &app,
        &culture,
        &id,
        "etichette",
        &[("etichetta", " Urgente "), ("azione", "aggiungi")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(app
        .page(&culture, "/ufficio/domande?coda=mie&etichetta=urgente")
        .await
        .contains(&id));
    assert!(!app
        .page(&culture, "/ufficio/domande?coda=mie&etichetta=altro")
        .await
        .contains(&id));
    let (status, _) = post(
        &app,
        &culture,
        &id,
        "etichette",
        &[("etichetta", "urgente"), ("azione", "togli")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(!app
        .page(&culture, "/ufficio/domande?coda=mie&etichetta=urgente")
        .await
        .contains(&id));
}
