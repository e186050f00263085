//! A multi-step form (the concorso): one step at a time with a progress indicator, each step
//! checked on its own fields and saved as a draft (so another device continues it), back
//! without checks, a summary with links to change each step, then the final submit with a CV
//! attached, filed into the register.

use istanze_tests::{
    concorso, header, hidden, pdf_text, section_fields, small_pdf, unescape, TestApp,
};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::Value;

const STEPS: [&[&str]; 4] = [
    &["concorso", "anagrafica"],
    &["residenza", "recapiti"],
    &["titolo_studio", "requisiti", "riserve"],
    &["allegati", "privacy"],
];

fn fields(step: usize) -> Vec<(String, String)> {
    section_fields(&concorso(), Some(STEPS[step]))
}

async fn post(
    app: &TestApp,
    c: &reqwest::Client,
    step: usize,
    extra: &[(&str, &str)],
    drop: &str,
) -> reqwest::Response {
    let page = app
        .page(c, &format!("/servizi/concorso/passo/{step}"))
        .await;
    let mut body = vec![("_csrf".to_owned(), hidden(&page, "_csrf"))];
    body.extend(fields(step - 1).into_iter().filter(|(k, _)| k != drop));
    body.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    c.post(app.at(&format!("/servizi/concorso/passo/{step}")))
        .form(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_concorso_is_filled_step_by_step_checked_resumed_and_submitted() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let r = c.get(app.at("/servizi/concorso")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&r, "location"), "/servizi/concorso/passo/1");
    let first = app.page(&c, "/servizi/concorso/passo/1").await;
    assert!(
        first.contains("Passo 1 di 4: Il concorso e i tuoi dati"),
        "{first}"
    );
    assert!(first.contains(r#"aria-current="step""#));
    assert!(first.contains(r#"name="/anagrafica/luogo_nascita""#));
    assert!(
        !first.contains(r#"name="/residenza/cap""#),
        "one step at a time"
    );

    let r = post(&app, &c, 1, &[], "").await;
    assert_eq!(header(&r, "location"), "/servizi/concorso/passo/2");
    // A wrong CAP stops at step 2, with its message, and only step 2's errors.
    let r = post(&app, &c, 2, &[("/residenza/cap", "001")], "/residenza/cap").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = unescape(&r.text().await.unwrap());
    assert!(page.contains("Il CAP è fatto di 5 cifre."), "{page}");
    assert!(
        page.contains("correggi 1 campo"),
        "only step 2's error, none of later steps"
    );
    let r = post(&app, &c, 2, &[], "").await;
    assert_eq!(header(&r, "location"), "/servizi/concorso/passo/3");
    // Back without checks (step 3 is incomplete), and the step was saved.
    let r = post(
        &app,
        &c,
        3,
        &[("_action", "indietro")],
        "/titolo_studio/tipo",
    )
    .await;
    assert_eq!(header(&r, "location"), "/servizi/concorso/passo/2");

    // Another device continues from the draft.
    let tablet = app.client();
    app.login(&tablet, "RSSMRA85T10A562S", 2).await;
    let second = app.page(&tablet, "/servizi/concorso/passo/2").await;
    assert!(second.contains(r#"value="00100""#), "saved on the server");
    let r = post(&app, &tablet, 3, &[], "").await;
    assert_eq!(header(&r, "location"), "/servizi/concorso/passo/4");

    // Last step with the CV, as the browser sends it (multipart).
    let page = app.page(&tablet, "/servizi/concorso/passo/4").await;
    let mut form = Form::new()
        .percent_encode_noop()
        .text("_csrf", hidden(&page, "_csrf"));
    for (k, v) in fields(3) {
        form = form.text(k, v);
    }
    let cv = small_pdf("Curriculum di Mario Rossi");
    form = form.part(
        "/allegati/curriculum",
        Part::bytes(cv).file_name("curriculum.pdf"),
    );
    let r = tablet
        .post(app.at("/servizi/concorso/passo/4"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&r, "location"), "/servizi/concorso/riepilogo");

    let summary = app.page(&tablet, "/servizi/concorso/riepilogo").await;
    assert!(summary.contains("Controlla la domanda prima di inviarla"));
    assert_eq!(summary.matches(">Modifica<").count(), 4, "{summary}");
    assert!(summary.contains("curriculum.pdf"));
    assert!(summary.contains("00100") && summary.contains("IST-AMM-2026"));
    let r = tablet
        .post(app.at("/servizi/concorso/riepilogo"))
        .form(&[
            ("_csrf", hidden(&summary, "_csrf")),
            ("_id", hidden(&summary, "_id")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = header(&r, "location")
        .trim_start_matches("/domande/")
        .to_owned();
    // A double click sends the same form again: the same application, not an error.
    let again = tablet
        .post(app.at("/servizi/concorso/riepilogo"))
        .form(&[
            ("_csrf", hidden(&summary, "_csrf")),
            ("_id", hidden(&summary, "_id")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&again, "location"), format!("/domande/{id}"));
    let filed = tablet
        .get(app.at(&format!("/api/v1/submissions/{id}")))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(filed["form"], "concorso");
    let filed = app.wait_for_protocol(&tablet, &id).await;
    let number = filed["protocol"]["number"].as_str().unwrap().to_owned();
    let receipt = app.pdf(&tablet, &id, "receipt").await;
    let receipt = pdf_text(&receipt);
    assert!(
        receipt.contains(&format!("Numero {number}")),
        "the receipt PDF has the protocol number: {receipt}"
    );
    let pdf = app.pdf(&tablet, &id, "document").await;
    let text = pdf_text(&pdf);
    assert!(text.contains("curriculum.pdf (allegato)"), "{text}");
    // The draft is gone: the service starts afresh.
    let again = app.page(&tablet, "/servizi/concorso/passo/2").await;
    assert!(!again.contains(r#"value="00100""#));
}
