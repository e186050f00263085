//! Attachments: uploaded with the application (API multipart and the HTML form), recognised
//! from their bytes, bounded in size, scanned by an antivirus speaking clamd's protocol, listed
//! with their digests in the application document and filed with it into the register. A
//! refused file changes nothing and says why; the rest of what the citizen entered stays.

use istanze_server::config::AttachmentStorage;
use istanze_tests::clamd::{Clamd, EICAR};
use istanze_tests::{
    count_rows, hidden, patrocinio, pdf_text, section_fields, small_pdf, test_settings, unescape,
    TestApp,
};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;
use sha2::Digest;

const FIELD: &str = "/evento/programma";

fn programme_pdf() -> Vec<u8> {
    small_pdf("Programma della Festa della musica")
}

fn hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn multipart(data: &Value, file: Option<(&str, Vec<u8>)>) -> Form {
    // Names as browsers and curl send them (reqwest would percent-encode the slashes).
    let form = Form::new().percent_encode_noop().part(
        "data",
        Part::text(data.to_string())
            .mime_str("application/json")
            .unwrap(),
    );
    match file {
        Some((name, bytes)) => form.part(FIELD, Part::bytes(bytes).file_name(name.to_owned())),
        None => form,
    }
}

async fn post(app: &TestApp, c: &reqwest::Client, form: Form) -> (StatusCode, Value) {
    let r = c
        .post(app.at("/api/v1/forms/patrocinio/submissions"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn count(app: &TestApp, table: &str) -> i64 {
    count_rows(app.settings.database.url.as_deref().unwrap(), table).await
}

async fn filed_with_attachment(storage: AttachmentStorage) {
    let (mut s, dir) = test_settings().await;
    s.attachments.storage = storage;
    let app = TestApp::spawn_with(s, dir).await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let pdf = programme_pdf();
    let (status, body) = post(
        &app,
        &c,
        multipart(&patrocinio(), Some(("programma.pdf", pdf.clone()))),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let filed = app.wait_for_protocol(&c, &id).await;
    let document = app.pdf(&c, &id, "document").await;
    let text = pdf_text(&document);
    assert!(text.contains("programma.pdf (allegato)"), "{text}");
    assert!(
        text.contains(&hex(&pdf)),
        "the document lists the file's digest: {text}"
    );
    // The register holds the attachment's digest: the Segnatura lists it.
    let year = filed["protocol"]["year"].as_i64().unwrap() as i32;
    let number: i64 = filed["protocol"]["number"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let segnatura = istanze_server::protocol_admin::segnatura(&app.settings, year, number)
        .await
        .unwrap();
    let digest = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        sha2::Sha256::digest(&pdf),
    );
    assert!(
        segnatura.contains(&format!("<prot:Impronta>{digest}</prot:Impronta>")),
        "{segnatura}"
    );
    assert!(segnatura.contains(r#"prot:nomeFile="programma.pdf""#));
}

#[tokio::test]
async fn a_file_kept_in_the_database_is_filed_with_its_digest() {
    filed_with_attachment(AttachmentStorage::Database).await;
}

#[tokio::test]
async fn a_file_kept_in_a_directory_is_filed_with_its_digest() {
    filed_with_attachment(AttachmentStorage::Directory).await;
}

#[tokio::test]
async fn too_large_wrong_type_and_flagged_files_are_refused_and_nothing_is_submitted() {
    let clamd = Clamd::start().await;
    let (mut s, dir) = test_settings().await;
    s.attachments.clamav = Some(clamd.address.clone());
    let app = TestApp::spawn_with(s, dir).await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;

    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let png = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d,
    ];
    let mut infected = programme_pdf();
    infected.extend_from_slice(EICAR.as_bytes());
    for (name, bytes, words) in [
        ("grande.pdf", big, "troppo grande"),
        ("immagine.pdf", png, "non è di un tipo accettato"),
        ("programma.pdf", infected, "antivirus"),
        ("vuoto.pdf", Vec::new(), "vuoto"),
    ] {
        let (status, body) = post(&app, &c, multipart(&patrocinio(), Some((name, bytes)))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        let fields = body["errors"].as_array().unwrap();
        assert_eq!(fields[0]["pointer"], FIELD, "{body}");
        assert!(
            fields[0]["message"].as_str().unwrap().contains(words),
            "{name}: {body}"
        );
    }
    assert_eq!(count(&app, "submissions").await, 0, "nothing submitted");
    assert_eq!(count(&app, "attachments").await, 0, "no refused file kept");
    assert_eq!(
        clamd.scans(),
        1,
        "only the file of an accepted type reached the scanner"
    );

    let (status, _) = post(
        &app,
        &c,
        multipart(&patrocinio(), Some(("programma.pdf", programme_pdf()))),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(clamd.scans(), 2);

    // With the scanner down, nothing is accepted unscanned.
    clamd.stop().await;
    let (status, body) = post(
        &app,
        &c,
        multipart(&patrocinio(), Some(("programma.pdf", programme_pdf()))),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("non è disponibile"), "{body}");
}

#[tokio::test]
async fn unknown_parts_and_someone_elses_file_are_refused() {
    let app = TestApp::spawn().await;
    let mario = app.client();
    app.login(&mario, "RSSMRA85T10A562S", 2).await;
    let lucia = app.client();
    app.login(&lucia, "BNCLCU92M55F205G", 2).await;

    let form = multipart(&patrocinio(), None).part(
        "/evento/titolo",
        Part::bytes(b"%PDF-".to_vec()).file_name("x.pdf"),
    );
    let (status, body) = post(&app, &mario, form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Parte sconosciuta"));

    // Lucia's upload, not yet part of any application (her submit was incomplete), is not
    // Mario's to submit.
    let mut incomplete = patrocinio();
    incomplete["evento"]
        .as_object_mut()
        .unwrap()
        .remove("titolo");
    let (status, _) = post(
        &app,
        &lucia,
        multipart(&incomplete, Some(("programma.pdf", programme_pdf()))),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let lucias: String = {
        let db = sea_orm::Database::connect(app.settings.database.url.clone().unwrap())
            .await
            .unwrap();
        let row = db
            .query_one(Statement::from_string(
                db.get_database_backend(),
                "SELECT id FROM attachments WHERE submission_id IS NULL AND owner = 'BNCLCU92M55F205G'"
                    .to_owned(),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get("", "id").unwrap()
    };
    let mut data = patrocinio();
    data["evento"]["programma"] = Value::String(lucias);
    let r = app.submit(&mario, "patrocinio", &data).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["pointer"], FIELD, "{body}");
}

#[tokio::test]
async fn the_html_form_keeps_an_accepted_file_and_the_answers_when_something_else_is_wrong() {
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
    assert!(page.contains(r#"enctype="multipart/form-data""#));
    assert!(page.contains(r#"type="file""#) && page.contains(r#"accept="application/pdf""#));
    let csrf = hidden(&page, "_csrf");
    let id = hidden(&page, "_id");
    let texts = |title: &str| {
        let mut parts: Vec<(String, String)> =
            vec![("_csrf".into(), csrf.clone()), ("_id".into(), id.clone())];
        parts.extend(section_fields(&patrocinio(), None));
        parts.retain(|(k, _)| k != "/evento/titolo");
        if !title.is_empty() {
            parts.push(("/evento/titolo".into(), title.into()));
        }
        parts
    };
    let mut form = Form::new().percent_encode_noop();
    for (k, v) in texts("") {
        form = form.text(k, v);
    }
    form = form.part(
        FIELD,
        Part::bytes(programme_pdf()).file_name("programma.pdf"),
    );
    let r = c
        .post(app.at("/servizi/patrocinio"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = unescape(&r.text().await.unwrap());
    assert!(
        again.contains("File caricato: <strong>programma.pdf</strong>"),
        "{again}"
    );
    assert!(
        !again.contains("Festa della musica"),
        "the missing title is not invented"
    );
    assert!(
        again.contains("Piazza del Popolo, Roma"),
        "the answers stay"
    );
    let kept = hidden(&again, FIELD);
    assert!(kept.starts_with("att-"), "{kept}");

    // Second try: the title is there; no new file chosen (an empty part, as browsers send).
    let mut form = Form::new().percent_encode_noop();
    for (k, v) in texts("Festa della musica") {
        form = form.text(k, v);
    }
    form = form
        .text(FIELD, kept.clone())
        .part(FIELD, Part::bytes(Vec::new()).file_name(""));
    let r = c
        .post(app.at("/servizi/patrocinio"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = istanze_tests::header(&r, "location");
    let submission = location.trim_start_matches("/domande/");
    let filed = app.wait_for_protocol(&c, submission).await;
    assert!(!filed["protocol"].is_null());
    assert_eq!(
        count(&app, "attachments").await,
        1,
        "the file was uploaded once"
    );
}

#[tokio::test]
async fn a_file_refused_on_saving_a_draft_is_reported_not_dropped() {
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
    let mut form = Form::new()
        .percent_encode_noop()
        .text("_csrf", hidden(&page, "_csrf"))
        .text("_id", hidden(&page, "_id"))
        .text("_action", "bozza")
        .text("/evento/titolo", "Festa della musica");
    form = form.part(
        FIELD,
        Part::bytes(b"MZ\x90\x00 not a pdf".to_vec()).file_name("programma.pdf"),
    );
    let r = c
        .post(app.at("/servizi/patrocinio"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = unescape(&r.text().await.unwrap());
    assert!(body.contains("Bozza salvata."), "{body}");
    assert!(
        body.contains("Il file non è di un tipo accettato"),
        "the refusal is said: {body}"
    );
    assert!(body.contains(r#"value="Festa della musica""#));
    assert_eq!(count(&app, "drafts").await, 1, "the rest is saved");
    assert_eq!(count(&app, "attachments").await, 0);
}

#[tokio::test]
async fn a_file_larger_than_the_antivirus_scans_is_told_apart_from_a_scanner_that_is_down() {
    // clamd's StreamMaxLength below the field's limit: a misconfiguration the citizen cannot fix
    // by waiting, so the message must not say "try again later".
    let clamd = Clamd::start_with_limit(200 * 1024).await;
    let (mut s, dir) = test_settings().await;
    s.attachments.clamav = Some(clamd.address.clone());
    let app = TestApp::spawn_with(s, dir).await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let mut big = programme_pdf();
    big.resize(2 * 1024 * 1024, b' ');
    let (status, body) = post(
        &app,
        &c,
        multipart(&patrocinio(), Some(("programma.pdf", big))),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("più grande di quanto il controllo antivirus possa esaminare"),
        "{body}"
    );
    assert!(!message.contains("non è disponibile"));
    assert_eq!(count(&app, "attachments").await, 0);
    // A small file still passes.
    let (status, _) = post(
        &app,
        &c,
        multipart(&patrocinio(), Some(("programma.pdf", programme_pdf()))),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn uploads_never_submitted_are_bounded_per_citizen() {
    let (mut s, dir) = test_settings().await;
    let one = programme_pdf().len() as u64;
    s.attachments.max_pending_bytes_per_owner = one * 2;
    let app = TestApp::spawn_with(s, dir).await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let mut incomplete = patrocinio();
    incomplete["evento"]
        .as_object_mut()
        .unwrap()
        .remove("titolo");
    // Two applications that fail validation leave their files pending; the third is refused.
    for _ in 0..2 {
        let (status, _) = post(
            &app,
            &c,
            multipart(&incomplete, Some(("programma.pdf", programme_pdf()))),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(count(&app, "attachments").await, 2);
    let (status, body) = post(
        &app,
        &c,
        multipart(&patrocinio(), Some(("programma.pdf", programme_pdf()))),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("non ancora inviati raggiungono già il limite"),
        "{body}"
    );
    assert_eq!(count(&app, "attachments").await, 2, "nothing more stored");
    // Another citizen is not affected.
    let other = app.client();
    app.login(&other, "BNCLCU92M55F205G", 2).await;
    let mut hers = patrocinio();
    hers["richiedente"]["codice_fiscale"] = "BNCLCU92M55F205G".into();
    let (status, body) = post(
        &app,
        &other,
        multipart(&hers, Some(("programma.pdf", programme_pdf()))),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn a_submit_with_a_refused_file_keeps_the_rest_as_the_draft() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let page = app.page(&c, "/servizi/patrocinio").await;
    let mut form = Form::new()
        .percent_encode_noop()
        .text("_csrf", hidden(&page, "_csrf"))
        .text("_id", hidden(&page, "_id"));
    for (k, v) in section_fields(&patrocinio(), None) {
        form = form.text(k, v);
    }
    form = form.part(
        FIELD,
        Part::bytes(b"MZ\x90\x00 not a pdf".to_vec()).file_name("programma.pdf"),
    );
    let r = c
        .post(app.at("/servizi/patrocinio"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unescape(&r.text().await.unwrap()).contains("Il file non è di un tipo accettato"));
    assert_eq!(count(&app, "submissions").await, 0);
    assert_eq!(count(&app, "drafts").await, 1, "the answers are kept");
    let resumed = app.page(&c, "/servizi/patrocinio").await;
    assert!(resumed.contains(r#"value="Festa della musica""#));
}
