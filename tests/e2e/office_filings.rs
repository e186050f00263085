//! Filings that do not go through are visible in the back office with their error, to the
//! administration's administrators and records managers, and one can be retried at once.

use istanze_server::store::jobs::JobKind;
use istanze_tests::{hidden, Server, TestApp};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;

use crate::administrations::CITIZEN;

const ADMINISTRATOR: &str = "FRRNNA80A41L219D";
const OPERATOR: &str = "MRNLRA82C53L219U";

#[tokio::test]
async fn a_stuck_filing_is_shown_with_its_error_and_retried_from_the_page() {
    let app = TestApp::spawn().await;
    let url = app.settings.database.url.clone().unwrap();
    let db = sea_orm::Database::connect(&url).await.unwrap();
    let postgres = db.get_database_backend() == sea_orm::DbBackend::Postgres;
    let (down, up): (&[&str], &[&str]) = if postgres {
        (
            &[
                "CREATE FUNCTION register_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'register unavailable'; END; $$",
                "CREATE TRIGGER register_down BEFORE INSERT ON protocol_entries FOR EACH ROW EXECUTE FUNCTION register_down()",
            ],
            &["DROP TRIGGER register_down ON protocol_entries", "DROP FUNCTION register_down()"],
        )
    } else {
        (
            &["CREATE TRIGGER register_down BEFORE INSERT ON protocol_entries BEGIN SELECT RAISE(ABORT, 'register unavailable'); END"],
            &["DROP TRIGGER register_down"],
        )
    };
    for s in down {
        db.execute_unprepared(s).await.unwrap();
    }
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&citizen).await;
    let admin = app.state.tenants.iter().next().unwrap().id.clone();
    let queue = app.state.scoped(&admin);
    istanze_tests::wait_until(
        "the filing tried and refused by the register",
        std::time::Duration::from_secs(30),
        || async {
            let p = istanze_server::jobs_admin::pending(
                &queue,
                &JobKind::FILINGS,
                chrono::Utc::now(),
                chrono::Duration::zero(),
            )
            .await
            .unwrap();
            p.iter()
                .any(|j| {
                    j.submission_id == id
                        && j.last_error
                            .as_deref()
                            .unwrap_or("")
                            .contains("register unavailable")
                })
                .then_some(())
        },
    )
    .await;

    let server: &Server = &app;
    let operator = app.client();
    server.staff_login(&operator, OPERATOR).await;
    let r = operator
        .get(app.at("/ufficio/protocollazioni"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("responsabili della gestione documentale"));

    let administrator = app.client();
    server.staff_login(&administrator, ADMINISTRATOR).await;
    let page = app.page(&administrator, "/ufficio/protocollazioni").await;
    assert!(page.contains(&id), "{page}");
    assert!(
        page.contains("register unavailable"),
        "the error is shown: {page}"
    );

    // The register is back; the backoff would wait, the retry does not.
    for s in up {
        db.execute_unprepared(s).await.unwrap();
    }
    let job = istanze_server::jobs_admin::pending(
        &queue,
        &JobKind::FILINGS,
        chrono::Utc::now(),
        chrono::Duration::zero(),
    )
    .await
    .unwrap()
    .into_iter()
    .find(|j| j.submission_id == id)
    .unwrap();
    let r = administrator
        .post(app.at(&format!("/ufficio/protocollazioni/{}/riprova", job.id)))
        .form(&[("_csrf", hidden(&page, "_csrf"))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        "/ufficio/protocollazioni?riprovata=1",
        "the job was there and made due"
    );
    app.wait_for_protocol(&citizen, &id).await;
    let page = app.page(&administrator, "/ufficio/protocollazioni").await;
    assert!(page.contains("Nessuna protocollazione in attesa"), "{page}");
    // A retry of a job that is done finds nothing to do.
    let r = administrator
        .post(app.at(&format!("/ufficio/protocollazioni/{}/riprova", job.id)))
        .form(&[("_csrf", hidden(&page, "_csrf"))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/ufficio/protocollazioni");
}
