//! The records manager annuls a registration from the back office (DPR 445/2000 art. 54),
//! naming the authorising act and the reason: the entry stays in the register, the annulment
//! is recorded beside it once, the case page says so, and no one else can do it.

use istanze_tests::{hidden, Server, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::administrations::CITIZEN;

const RECORDS_MANAGER: &str = "RCCSRA86E55L219B";
const ADMINISTRATOR: &str = "FRRNNA80A41L219D";
const OPERATOR: &str = "MRNLRA82C53L219U";

fn text(html: String) -> String {
    html.replace("&#39;", "'").replace("&#x27;", "'")
}

#[tokio::test]
async fn the_records_manager_annuls_a_registration_with_its_act_and_reason() {
    let app = TestApp::spawn().await;
    let server: &Server = &app;
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&citizen).await;
    let filed = app.wait_for_protocol(&citizen, &id).await;
    let year = filed["protocol"]["year"].as_i64().unwrap();
    let number: i64 = filed["protocol"]["number"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let page_path = format!("/ufficio/registrazioni/{year}/{number}");

    // An operator works on cases, not on the register.
    let operator = server.staff_client(OPERATOR).await;
    let r = operator.get(app.at(&page_path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let case = app.page(&operator, &format!("/ufficio/domande/{id}")).await;
    assert!(
        !case.contains(&page_path),
        "no link for an operator: {case}"
    );

    // The administrator sees the registration but cannot annul it.
    let administrator = server.staff_client(ADMINISTRATOR).await;
    let page = text(app.page(&administrator, &page_path).await);
    assert!(page.contains("La registrazione non è annullata"), "{page}");
    assert!(
        !page.contains("name=\"atto\""),
        "no form for an administrator: {page}"
    );
    let r = administrator
        .post(app.at(&format!(
            "/api/v1/office/registrations/{year}/{number}/annulment"
        )))
        .header("Origin", &app.url)
        .json(&json!({"authorising_act": "Provvedimento n. 1/2026", "reason": "Errore"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("responsabile della gestione documentale"),
        "{body}"
    );

    let manager = server.staff_client(RECORDS_MANAGER).await;
    let case = text(app.page(&manager, &format!("/ufficio/domande/{id}")).await);
    assert!(case.contains(&format!("href=\"{page_path}\"")), "{case}");
    let page = text(app.page(&manager, &page_path).await);
    assert!(
        page.contains(&format!("/ufficio/domande/{id}")),
        "back to the case: {page}"
    );
    assert!(page.contains("art. 54 del DPR 445/2000"), "{page}");
    let annul = |fields: Vec<(&'static str, String)>| {
        let manager = manager.clone();
        let url = app.at(&format!("{page_path}/annulla"));
        let token = hidden(&page, "_csrf");
        async move {
            let mut form = vec![("_csrf", token)];
            form.extend(fields);
            let r = manager.post(url).form(&form).send().await.unwrap();
            let status = r.status();
            (status, text(r.text().await.unwrap()))
        }
    };
    let act = || {
        (
            "atto",
            "Provvedimento n. 12/2026 del 3 dicembre 2026".to_owned(),
        )
    };
    let reason = || {
        (
            "motivo",
            "Domanda registrata due volte per errore".to_owned(),
        )
    };
    let confirm = || ("conferma", "1".to_owned());

    // Each refusal says its rule, keeps what was written, and annuls nothing.
    let (status, body) = annul(vec![act(), reason()]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("Conferma l'annullamento spuntando la casella"),
        "{body}"
    );
    assert!(
        body.contains("Domanda registrata due volte per errore"),
        "{body}"
    );
    let (status, body) = annul(vec![("atto", " ".into()), reason(), confirm()]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Scrivi l'atto che autorizza"), "{body}");
    let (status, body) = annul(vec![act(), ("motivo", String::new()), confirm()]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Scrivi il motivo"), "{body}");
    let (status, body) = annul(vec![act(), ("motivo", "x".repeat(2001)), confirm()]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("al massimo 200 caratteri"), "{body}");
    let registration: Value = administrator
        .get(app.at(&format!("/api/v1/office/registrations/{year}/{number}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(registration["annulment"], Value::Null, "{registration}");
    assert_eq!(registration["application"], id.as_str());
    assert_eq!(registration["direction"], "incoming");

    let r = manager
        .post(app.at(&format!("{page_path}/annulla")))
        .form(&[
            ("_csrf", hidden(&page, "_csrf")),
            act(),
            reason(),
            confirm(),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let done = text(
        app.page(&manager, r.headers()["location"].to_str().unwrap())
            .await,
    );
    assert!(done.contains("Annullamento registrato."), "{done}");
    assert!(
        done.contains("Provvedimento n. 12/2026 del 3 dicembre 2026"),
        "{done}"
    );
    assert!(done.contains("Sara Ricci (RCCSRA86E55L219B)"), "{done}");
    assert!(!done.contains("name=\"atto\""), "no second form: {done}");

    // Once only: a second annulment is refused, by the page and by the API.
    let (status, body) = annul(vec![act(), reason(), confirm()]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("già annullata"), "{body}");
    let r = manager
        .post(app.at(&format!(
            "/api/v1/office/registrations/{year}/{number}/annulment"
        )))
        .header("Origin", &app.url)
        .json(&json!({"authorising_act": "Provvedimento n. 13/2026", "reason": "Ancora"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["code"],
        "conflict"
    );

    let registration: Value = administrator
        .get(app.at(&format!("/api/v1/office/registrations/{year}/{number}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        registration["annulment"]["authorising_act"],
        "Provvedimento n. 12/2026 del 3 dicembre 2026"
    );
    assert_eq!(
        registration["annulment"]["operator"],
        "Sara Ricci (RCCSRA86E55L219B)"
    );
    let case = text(app.page(&operator, &format!("/ufficio/domande/{id}")).await);
    assert!(
        case.contains("<strong>annullata</strong>"),
        "every member sees it: {case}"
    );

    // The register keeps the entry and its chains verify with the annulment in them.
    let tenant = app.state.tenants.iter().next().unwrap();
    let register = istanze_protocol::embedded::EmbeddedRegister::new(
        tenant.register_db.clone(),
        istanze_protocol::embedded::RegisterIdentity {
            ipa_code: tenant.settings.administration.ipa_code.clone(),
            aoo: tenant.settings.administration.aoo.clone(),
            register: tenant.settings.administration.register.clone(),
        },
    );
    let (entry, annulment) = register.entry(year as i32, number).await.unwrap().unwrap();
    assert_eq!(entry.idempotency_key, id);
    assert_eq!(
        annulment.unwrap().reason,
        "Domanda registrata due volte per errore"
    );
    assert!(register.verify().await.unwrap().is_ok());

    // A number the register never gave.
    let r = manager
        .get(app.at(&format!("/api/v1/office/registrations/{year}/9999999")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["code"],
        "not_found"
    );
}
