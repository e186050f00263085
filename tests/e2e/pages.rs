//! The citizen's HTML path: a form that works without JavaScript, errors with a summary, a
//! receipt with the protocol number.

use istanze_tests::{header, hidden, unescape, TestApp};
use reqwest::StatusCode;

#[tokio::test]
async fn the_catalogue_and_a_service_page_ask_to_log_in() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let home = c
        .get(app.at("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Richiesta di patrocinio e uso dello stemma"));
    assert!(home.contains("Ambiente dimostrativo"), "demo banner");
    let page = unescape(
        &c.get(app.at("/servizi/patrocinio"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(
        page.contains("/accedi?next=%2Fservizi%2Fpatrocinio&level=2"),
        "{page}"
    );
    let r = c.get(app.at("/servizi/nessuno")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("Pagina non trovata"));
}

fn field(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

#[tokio::test]
async fn fill_in_with_errors_then_submit_and_get_the_receipt() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let page = c
        .get(app.at("/servizi/patrocinio"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("value=\"Mario\" readonly"),
        "verified name is prefilled and read-only"
    );
    assert!(page.contains("Dato verificato"));
    let csrf = hidden(&page, "_csrf");
    let id = hidden(&page, "_id");

    let mut fields = vec![
        field("_csrf", &csrf),
        field("_id", &id),
        field("/richiedente/qualita", "persona"),
        field("/evento/titolo", "Festa della musica"),
        field("/evento/partecipanti_previsti", "tanti"),
    ];
    let r = c
        .post(app.at("/servizi/patrocinio"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("La domanda non è stata inviata"));
    assert!(
        body.contains("href=\"#f-evento-luogo\""),
        "the summary links to the field"
    );
    assert!(body.contains("Inserire un numero intero."));
    let at = |anchor: &str| {
        body.find(&format!("href=\"#{anchor}\""))
            .unwrap_or_else(|| panic!("{anchor}"))
    };
    assert!(
        at("f-evento-tipologia") < at("f-evento-partecipanti_previsti")
            && at("f-evento-partecipanti_previsti") < at("f-dichiarazioni-privacy"),
        "the summary follows the form's order"
    );
    assert!(
        body.contains("value=\"Festa della musica\""),
        "entered values are kept"
    );
    assert!(body.contains("aria-invalid=\"true\""));
    let url = app.settings.database.url.clone().unwrap();
    assert_eq!(
        istanze_tests::count_rows(&url, "drafts").await,
        1,
        "an application that was not sent is kept as the draft"
    );

    fields.retain(|(k, _)| k != "/evento/partecipanti_previsti");
    fields.extend([
        field("/evento/tipologia", "culturale"),
        field("/evento/data_inizio", "2027-06-21"),
        field("/evento/data_fine", "2027-06-21"),
        field("/evento/luogo", "Piazza del Popolo, Roma"),
        field(
            "/evento/descrizione",
            "Concerti gratuiti di band locali in piazza per tutta la giornata.",
        ),
        field("/evento/partecipanti_previsti", "500"),
        field("/evento/ingresso", "gratuito"),
        field("/dichiarazioni/senza_lucro", "true"),
        field("/dichiarazioni/logo_conforme", "true"),
        field("/dichiarazioni/responsabilita", "true"),
        field("/dichiarazioni/privacy", "true"),
    ]);
    let r = c
        .post(app.at("/servizi/patrocinio"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let receipt_url = header(&r, "location");
    // The page view's id is the key of this citizen's submit, not the submission's id.
    let page_view = id;
    let id = receipt_url
        .strip_prefix("/domande/")
        .expect("to the receipt")
        .to_owned();
    uuid::Uuid::parse_str(&id).expect("a submission id");
    assert_ne!(id, page_view);
    // A double click posts the same form again: the same submission, not a second one.
    let again = c
        .post(app.at("/servizi/patrocinio"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&again, "location"), receipt_url);

    let filed = app.wait_for_protocol(&c, &id).await;
    assert_eq!(filed["protocol"]["number"], "0000001");
    assert_eq!(
        istanze_tests::count_rows(&url, "drafts").await,
        0,
        "the draft goes with the submit"
    );
    let receipt = c
        .get(app.at(&receipt_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(receipt.contains("Domanda protocollata"));
    assert!(receipt.contains("0000001"));
    let mine = c
        .get(app.at("/domande"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mine.contains("N. 0000001"));
    assert_eq!(mine.matches("Apri la ricevuta").count(), 1);
}

#[tokio::test]
async fn a_form_post_without_the_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let r = c
        .post(app.at("/servizi/patrocinio"))
        .form(&[("/evento/titolo", "x"), ("_csrf", "sbagliato")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .post(app.at("/esci"))
        .form(&[("_csrf", "sbagliato")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "logout needs the token too"
    );
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let page = c
        .get(app.at("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&page, "_csrf");
    let r = c
        .post(app.at("/esci"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FOUND,
        "on to the IdP for the SAML logout"
    );
    let r = c.get(app.at("/api/v1/submissions/x")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_level_one_session_is_stepped_up_for_a_level_two_form() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 1).await;
    let page = unescape(
        &c.get(app.at("/servizi/patrocinio"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(
        page.contains("/accedi?next=%2Fservizi%2Fpatrocinio&level=2"),
        "asks for a level 2 login"
    );
    assert!(!page.contains("name=\"_csrf\" value=\"\"") && !page.contains("Invia la domanda"));
    // The request for the step-up asks for level 2 with ForceAuthn.
    let idp = app.at("/demo-idp");
    let r = c
        .get(app.at("/spid/login"))
        .query(&[("idp", idp.as_str()), ("level", "2")])
        .send()
        .await
        .unwrap();
    let xml = istanze_tests::authn_request_in(&header(&r, "location"));
    assert!(
        xml.contains("ForceAuthn=\"true\"") && xml.contains("https://www.spid.gov.it/SpidL2"),
        "{xml}"
    );
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let page = c
        .get(app.at("/servizi/patrocinio"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Invia la domanda"));
}

#[tokio::test]
async fn the_administration_logo_comes_from_configuration() {
    let (mut settings, dir) = istanze_tests::test_settings().await;
    let logo = dir.path().join("stemma.svg");
    std::fs::write(
        &logo,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#,
    )
    .unwrap();
    settings.administration.logo_file = Some(logo.clone());
    let mut broken = settings.clone();
    let app = TestApp::spawn_with(settings, dir).await;
    let c = app.client();
    let home = c
        .get(app.at("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains(r#"<img class="icon" src="/logo" alt="""#),
        "{home}"
    );
    let r = c.get(app.at("/logo")).send().await.unwrap();
    assert_eq!(header(&r, "content-type"), "image/svg+xml");
    assert!(header(&r, "content-security-policy").contains("default-src 'none'"));
    assert!(r.text().await.unwrap().starts_with("<svg"));

    // A file that is no image stops the start, naming the setting.
    let not_an_image = logo.with_extension("txt");
    std::fs::write(&not_an_image, "stemma").unwrap();
    broken.administration.logo_file = Some(not_an_image);
    let err = istanze_server::Application::build(broken)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("logo_file"), "{err}");
}
