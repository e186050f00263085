//! English for every page and message: `?lang=en` (remembered) or `Accept-Language: en`; the
//! forms' own texts from their translations; what is filed stays Italian.

use istanze_tests::{hidden, patrocinio, pdf_text, section_fields, unescape, TestApp};
use reqwest::StatusCode;

async fn text(r: reqwest::Response) -> String {
    unescape(&r.text().await.unwrap())
}

#[tokio::test]
async fn the_language_switch_is_remembered_and_covers_pages_and_errors() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let it = app.page(&c, "/").await;
    assert!(it.contains(r#"<html lang="it">"#) && it.contains("Servizi online"));
    assert!(
        it.contains(r#"href="/?lang=en" lang="en""#),
        "the switch names English in English"
    );
    let login = app
        .page(&c, "/accedi?next=%2Fservizi%2Fpatrocinio&level=2")
        .await;
    assert!(
        login.contains(r#"href="/accedi?next=%2Fservizi%2Fpatrocinio&level=2&lang=en""#),
        "the switch keeps the page and its query: {login}"
    );

    let r = c.get(app.at("/?lang=en")).send().await.unwrap();
    assert_eq!(istanze_tests::header(&r, "vary"), "Accept-Language, Cookie");
    let cookie = istanze_tests::header(&r, "set-cookie");
    assert!(
        cookie.starts_with("istanze_lang=en")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let en = text(r).await;
    assert!(en.contains(r#"<html lang="en">"#));
    assert!(en.contains("Online services") && en.contains("Skip to main content"));
    assert!(
        en.contains("Request for patronage and use of the coat of arms"),
        "the form's own translation"
    );
    assert!(!en.contains("Servizi online"), "{en}");
    // Remembered on the next page, error pages included.
    let r = c.get(app.at("/servizi/nessuno")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let page = text(r).await;
    assert!(
        page.contains("Page not found")
            && page.contains("The page or application you asked for does not exist."),
        "{page}"
    );
    // And back.
    let back = app.page(&c, "/?lang=it").await;
    assert!(back.contains("Servizi online"));

    // A browser that prefers English, without choosing, gets English; the API too.
    let fresh = app.client();
    let r = fresh
        .get(app.at("/api/v1/submissions/nessuna"))
        .header("Accept-Language", "en-GB,en;q=0.9,it;q=0.5")
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        body["error"]["message"], "To continue, log in with SPID or CIE.",
        "{body}"
    );
    let r = fresh
        .get(app.at("/servizi/nessuno"))
        .header("Accept-Language", "de, fr")
        .send()
        .await
        .unwrap();
    assert!(
        text(r).await.contains("Pagina non trovata"),
        "Italian when nothing we offer is asked"
    );
}

#[tokio::test]
async fn a_form_in_english_with_english_messages_files_an_italian_document() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let page = app.page(&c, "/servizi/patrocinio?lang=en").await;
    assert!(
        page.contains("Send the application") && page.contains("Save as draft"),
        "{page}"
    );
    assert!(page.contains("Full ticket price (euro)"));
    assert!(
        page.contains("Fill in only if you answered «Paid» to «Admission»."),
        "{page}"
    );
    assert!(page.contains("Add Other organiser"));
    assert!(!page.contains("Invia la domanda"));

    let csrf = hidden(&page, "_csrf");
    let id = hidden(&page, "_id");
    let r = c
        .post(app.at("/servizi/patrocinio"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("_id", id.as_str()),
            ("/evento/partecipanti_previsti", "many"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(r).await;
    assert!(
        body.contains("The application was not sent: correct"),
        "{body}"
    );
    assert!(body.contains("This field is required.") && body.contains("Enter a whole number."));
    assert!(body.contains("This declaration is required: tick the box to confirm it."));
    assert!(!body.contains("Questo campo è obbligatorio."));

    let mut fields = section_fields(&patrocinio(), None);
    fields.push(("_csrf".into(), csrf));
    fields.push(("_id".into(), id.clone()));
    let r = c
        .post(app.at("/servizi/patrocinio"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let receipt_url = istanze_tests::header(&r, "location");
    let id = receipt_url
        .strip_prefix("/domande/")
        .expect("to the receipt");
    app.wait_for_protocol(&c, id).await;
    let receipt = app.page(&c, &receipt_url).await;
    assert!(
        receipt.contains("Application registered") && receipt.contains("What happens next"),
        "{receipt}"
    );
    // Dates and times in English too: "02/12/2026 at 10:30", never "alle".
    let text = receipt.split("<main").nth(1).unwrap_or(&receipt);
    assert!(
        !text.contains(" alle "),
        "Italian in an English page: {text}"
    );
    assert!(text.contains(" at "), "{text}");
    let mine = app.page(&c, "/domande").await;
    let mine = mine.split("<main").nth(1).unwrap_or(&mine);
    assert!(
        !mine.contains(" alle "),
        "Italian in an English page: {mine}"
    );
    // The register gets the Italian document, whatever the language of the pages.
    let pdf = app.pdf(&c, id, "document").await;
    let doc = pdf_text(&pdf);
    assert!(
        doc.contains("Titolo dell'evento") && !doc.contains("Title of the event"),
        "{doc}"
    );
}
