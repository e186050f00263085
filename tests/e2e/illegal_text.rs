//! Text that XML cannot carry (control characters, Unicode non-characters, surrogates) is
//! refused on its field, through every way in: the JSON API, the multipart API, the HTML form
//! (urlencoded and multipart, single page and steps) and uploaded files' names. Nothing is
//! submitted and nothing is filed.
//!
//! Before this rule, U+FFFF, U+FFFE and U+FDD0 went through validation and were filed (201),
//! `%ED%A0%80` in a form post became U+FFFD in silence, a JSON `\ud800` was a 400 naming no
//! field, and a file name sent as `filename*` was dropped for "allegato".

use istanze_tests::{count_rows, hidden, patrocinio, section_fields, small_pdf, unescape, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

const TEXT_IT: &str =
    "Il testo contiene caratteri non ammessi (ad esempio caratteri di controllo): eliminali e riprova.";
const TEXT_EN: &str =
    "The text contains characters that are not allowed (such as control characters): remove them and try again.";
const NAME_IT: &str = "Il nome del file contiene caratteri non ammessi (ad esempio caratteri di \
                       controllo): rinomina il file e caricalo di nuovo.";
const FILE_FIELD: &str = "/evento/programma";

async fn logged_in() -> (TestApp, reqwest::Client) {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    (app, c)
}

async fn rows(app: &TestApp, table: &str) -> i64 {
    count_rows(app.settings.database.url.as_deref().unwrap(), table).await
}

/// Nothing stored for filing: no submission, no filing order.
async fn nothing_submitted(app: &TestApp) {
    assert_eq!(rows(app, "submissions").await, 0, "no submission stored");
    assert_eq!(rows(app, "jobs").await, 0, "nothing to file");
}

async fn errors_of(r: reqwest::Response) -> Vec<(String, String)> {
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["pointer"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_json_api_refuses_non_characters_that_it_used_to_file() {
    let (app, c) = logged_in().await;
    for (pointer, value) in [
        ("/evento/titolo", "Festa\u{FFFF}della musica"),
        ("/evento/luogo", "Piazza\u{FFFE}del Popolo"),
        ("/richiedente/telefono", "+39 06\u{FDD0} 1234567"),
        (
            "/evento/descrizione",
            "Concerti\u{1} gratuiti di band locali in piazza.",
        ),
    ] {
        let mut data = patrocinio();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        data.pointer_mut(parent).unwrap()[key] = json!(value);
        let errors = errors_of(app.submit(&c, "patrocinio", &data).await).await;
        assert_eq!(errors, vec![(pointer.to_owned(), TEXT_IT.to_owned())]);
    }
    let mut data = patrocinio();
    data["altri_soggetti"] = json!([
        {"denominazione": "Pro Loco", "ruolo": "Co-organizzatore"},
        {"denominazione": "Banda", "ruolo": "Musica\u{7F}"}
    ]);
    let errors = errors_of(app.submit(&c, "patrocinio", &data).await).await;
    assert_eq!(
        errors,
        vec![("/altri_soggetti/1/ruolo".to_owned(), TEXT_IT.to_owned())]
    );
    nothing_submitted(&app).await;
    // The same application without them goes through.
    app.submit_patrocinio(&c).await;
}

#[tokio::test]
async fn a_lone_surrogate_escape_is_refused_on_its_field_in_the_client_s_language() {
    let (app, c) = logged_in().await;
    let body = patrocinio()
        .to_string()
        .replace("Festa della musica", "Festa \\ud800 della musica");
    let r = c
        .post(app.at("/api/v1/forms/patrocinio/submissions"))
        .header("content-type", "application/json")
        .header("accept-language", "en")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        errors_of(r).await,
        vec![("/evento/titolo".to_owned(), TEXT_EN.to_owned())]
    );
    nothing_submitted(&app).await;
}

/// A multipart body built by hand: the `data` part, then one file part whose
/// Content-Disposition parameters after the name are `filename` (raw bytes).
fn multipart_body(filename: &[u8]) -> (String, Vec<u8>) {
    let boundary = "istanze-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"data\"\r\n\
             Content-Type: application/json\r\n\r\n{}\r\n",
            patrocinio()
        )
        .as_bytes(),
    );
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{FILE_FIELD}\"; ")
            .as_bytes(),
    );
    body.extend_from_slice(filename);
    body.extend_from_slice(b"\r\nContent-Type: application/pdf\r\n\r\n");
    body.extend_from_slice(&small_pdf("Programma"));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &TestApp, c: &reqwest::Client, filename: &[u8]) -> reqwest::Response {
    let (content_type, body) = multipart_body(filename);
    c.post(app.at("/api/v1/forms/patrocinio/submissions"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_file_name_with_a_control_or_non_character_is_refused_on_its_field() {
    let (app, c) = logged_in().await;
    // As reqwest and curl send names that are not plain ASCII.
    let control = upload(&app, &c, b"filename*=utf-8''programma%01.pdf").await;
    assert_eq!(
        errors_of(control).await,
        vec![(FILE_FIELD.to_owned(), NAME_IT.to_owned())]
    );
    // As browsers send them: raw UTF-8 (here U+FFFF, EF BF BF), which used to be filed as is.
    let raw = upload(&app, &c, b"filename=\"programma\xEF\xBF\xBF.pdf\"").await;
    assert_eq!(
        errors_of(raw).await,
        vec![(FILE_FIELD.to_owned(), NAME_IT.to_owned())]
    );
    // Bytes that are no UTF-8 (a surrogate) cannot even be read as a name.
    let surrogate = upload(&app, &c, b"filename*=utf-8''programma%ED%A0%80.pdf").await;
    assert_eq!(surrogate.status(), StatusCode::BAD_REQUEST);
    nothing_submitted(&app).await;
    assert_eq!(rows(&app, "attachments").await, 0, "no file kept");
    // A name that is text goes through, also in `filename*`.
    let fine = upload(&app, &c, b"filename*=utf-8''programma%20caff%C3%A8.pdf").await;
    assert_eq!(fine.status(), StatusCode::CREATED);
    let names: Vec<String> = {
        use sea_orm::{ConnectionTrait, Statement};
        let db = sea_orm::Database::connect(app.settings.database.url.as_deref().unwrap())
            .await
            .unwrap();
        db.query_all(Statement::from_string(
            db.get_database_backend(),
            "SELECT file_name FROM attachments",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "file_name").unwrap())
        .collect()
    };
    assert_eq!(names, vec!["programma caffè.pdf"]);
}

/// The message is in the page's summary of errors and right after the field's input, where
/// the form puts a field's error.
fn said_on_field(page: &str, name: &str) {
    assert_eq!(
        page.matches(TEXT_IT).count(),
        2,
        "in the summary and on the field"
    );
    let needle = format!("name=\"{name}\"");
    let input = page
        .find(&needle)
        .unwrap_or_else(|| panic!("no field {name}"))
        + needle.len();
    let message = page.rfind(TEXT_IT).unwrap();
    let between = &page[input..message.max(input)];
    assert!(
        message > input && !between.contains("name=\"/"),
        "the message follows {name}, before any other field"
    );
}

/// The service page's CSRF token and submission id.
async fn form_tokens(app: &TestApp, c: &reqwest::Client, path: &str) -> Vec<(String, String)> {
    let page = app.page(c, path).await;
    vec![
        ("_csrf".into(), hidden(&page, "_csrf")),
        ("_id".into(), hidden(&page, "_id")),
    ]
}

#[tokio::test]
async fn the_html_form_refuses_such_text_and_shows_it_again() {
    let (app, c) = logged_in().await;
    let mut fields = form_tokens(&app, &c, "/servizi/patrocinio").await;
    fields.extend(section_fields(&patrocinio(), None));
    for (k, v) in fields.iter_mut() {
        if k == "/evento/titolo" {
            *v = "Festa\u{1}della musica".into();
        }
    }
    let r = c
        .post(app.at("/servizi/patrocinio"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = unescape(&r.text().await.unwrap());
    assert!(
        page.contains("name=\"/evento/titolo\" value=\"Festa\u{1}della musica\""),
        "the value is kept as entered"
    );
    said_on_field(&page, "/evento/titolo");
    assert!(
        page.contains("correggi 1 campo"),
        "only that field is wrong"
    );
    nothing_submitted(&app).await;
}

fn urlencoded(fields: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

#[tokio::test]
async fn a_form_post_that_is_not_utf8_is_refused_on_its_field_not_replaced() {
    let (app, c) = logged_in().await;
    let mut fields = form_tokens(&app, &c, "/servizi/patrocinio").await;
    fields.extend(section_fields(&patrocinio(), None));
    fields.retain(|(k, _)| k != "/evento/luogo");
    let mut body = urlencoded(&fields);
    // A surrogate's UTF-8-like encoding: serde_urlencoded made it three U+FFFD and went on.
    body.push_str("&%2Fevento%2Fluogo=Piazza%ED%A0%80del+Popolo");
    let r = c
        .post(app.at("/servizi/patrocinio"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = unescape(&r.text().await.unwrap());
    said_on_field(&page, "/evento/luogo");
    assert!(
        page.contains("correggi 1 campo"),
        "only that field is wrong"
    );
    assert!(
        page.contains("value=\"Piazza\u{FFFD}\u{FFFD}\u{FFFD}del Popolo\""),
        "shown again, visibly damaged"
    );
    nothing_submitted(&app).await;
}

#[tokio::test]
async fn a_step_of_a_multi_step_form_refuses_text_in_another_charset() {
    let (app, c) = logged_in().await;
    let fields = form_tokens(&app, &c, "/servizi/concorso/passo/1").await;
    let mut body = urlencoded(&fields);
    // "Città" in Latin-1: E0 is no UTF-8.
    body.push_str("&%2Fconcorso%2Fcodice=IST-AMM-2026&%2Fanagrafica%2Fluogo_nascita=Citt%E0");
    let r = c
        .post(app.at("/servizi/concorso/passo/1"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = unescape(&r.text().await.unwrap());
    said_on_field(&page, "/anagrafica/luogo_nascita");
    nothing_submitted(&app).await;
}
