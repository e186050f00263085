//! A refused file is not read to its end, a body past the cap is answered 413 while it is
//! still being sent, text parts are bounded like files; the HTML form still reads the fields
//! after a small refused file.

use istanze_tests::clamd::Clamd;
use istanze_tests::{count_rows, hidden, test_settings, unescape};

use super::*;

#[tokio::test]
async fn a_file_too_large_is_not_read_to_its_end() {
    let app = TestApp::spawn().await;
    let c = logged_in(&app, "RSSMRA85T10A562S").await;
    let lazy = Lazy::file(data_head(), FIELD, b"%PDF-1.7\n", HUGE);
    let (status, text, pulled) = send_lazy(&c, &api(&app), &lazy, false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        field_message(&body, FIELD).as_deref(),
        Some(
            "Il file è troppo grande: il massimo è 10 MB. Riducine le dimensioni e caricalo di \
             nuovo."
        )
    );
    // The field takes 10 MB: the answer comes once that is passed, not after 300 MB.
    assert!(
        pulled < 10 * MB + IN_FLIGHT,
        "{pulled} bytes sent before the answer"
    );
    assert_eq!(
        count_rows(app.settings.database.url.as_deref().unwrap(), "attachments").await,
        0
    );
}

#[tokio::test]
async fn a_file_of_the_wrong_type_is_refused_from_its_first_bytes() {
    let app = TestApp::spawn().await;
    let c = logged_in(&app, "RSSMRA85T10A562S").await;
    let lazy = Lazy::file(data_head(), FIELD, b"MZ\x90\x00 a program", HUGE);
    let (status, text, pulled) = send_lazy(&c, &api(&app), &lazy, false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert!(
        field_message(&body, FIELD)
            .unwrap()
            .starts_with("Il file non è di un tipo accettato: sono accettati PDF."),
        "{body}"
    );
    assert!(pulled < IN_FLIGHT, "{pulled} bytes sent before the answer");
}

#[tokio::test]
async fn a_file_longer_than_the_antivirus_scans_is_refused_as_soon_as_clamd_says_so() {
    let clamd = Clamd::start_with_limit(256 * 1024).await;
    let (mut s, dir) = test_settings().await;
    s.attachments.clamav = Some(clamd.address.clone());
    let app = TestApp::spawn_with(s, dir).await;
    let c = logged_in(&app, "RSSMRA85T10A562S").await;
    let lazy = Lazy::file(data_head(), FIELD, b"%PDF-1.7\n", HUGE);
    let (status, text, pulled) = send_lazy(&c, &api(&app), &lazy, false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        field_message(&body, FIELD).as_deref(),
        Some(
            "Il file è più grande di quanto il controllo antivirus possa esaminare: riducine le \
             dimensioni e caricalo di nuovo."
        )
    );
    assert!(pulled < IN_FLIGHT, "{pulled} bytes sent before the answer");
}

#[tokio::test]
async fn a_body_past_the_request_cap_gets_413_while_it_is_still_sent() {
    let (mut s, dir) = test_settings().await;
    s.attachments.max_request_bytes = Some(2 * MB);
    let app = TestApp::spawn_with(s, dir).await;
    let c = logged_in(&app, "RSSMRA85T10A562S").await;
    for declare in [false, true] {
        let lazy = Lazy::file(data_head(), FIELD, b"%PDF-1.7\n", HUGE);
        let (status, text, pulled) = send_lazy(&c, &api(&app), &lazy, declare).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["error"]["code"], "too_large", "{body}");
        assert_eq!(
            body["error"]["message"],
            "I dati inviati superano la dimensione massima consentita."
        );
        let most = if declare {
            IN_FLIGHT
        } else {
            2 * MB + IN_FLIGHT
        };
        assert!(
            pulled < most,
            "{pulled} bytes sent before the answer (length declared: {declare})"
        );
    }
    assert_eq!(
        count_rows(app.settings.database.url.as_deref().unwrap(), "attachments").await,
        0
    );
    assert_eq!(
        count_rows(
            app.settings.database.url.as_deref().unwrap(),
            "upload_reservations"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn huge_text_parts_are_refused_at_once() {
    let app = TestApp::spawn().await;
    let c = logged_in(&app, "RSSMRA85T10A562S").await;
    // The API's JSON part.
    let header = "Content-Disposition: form-data; name=\"data\"".to_owned();
    let lazy = Lazy::new(vec![], header, b"{\"x\": \"", HUGE);
    let (status, text, pulled) = send_lazy(&c, &api(&app), &lazy, false).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert!(pulled < IN_FLIGHT, "{pulled} bytes sent before the answer");

    // A text field's part, and a part with no name at all (the parser refuses it at once).
    let page = app.page(&c, "/servizi/patrocinio").await;
    let head = vec![
        ("_csrf".to_owned(), hidden(&page, "_csrf")),
        ("_id".to_owned(), hidden(&page, "_id")),
    ];
    for (header, status, words) in [
        (
            "Content-Disposition: form-data; name=\"/evento/descrizione\"",
            StatusCode::PAYLOAD_TOO_LARGE,
            "I dati inviati superano la dimensione massima consentita.",
        ),
        (
            "Content-Disposition: form-data",
            StatusCode::BAD_REQUEST,
            "Il modulo inviato non è leggibile: riprova.",
        ),
    ] {
        let lazy = Lazy::new(head.clone(), header.to_owned(), b"Una festa", HUGE);
        let (got, text, pulled) = send_lazy(&c, &app.at("/servizi/patrocinio"), &lazy, false).await;
        assert_eq!(got, status, "{header}: {text}");
        assert!(unescape(&text).contains(words), "{header}: {text}");
        assert!(
            pulled < IN_FLIGHT,
            "{header}: {pulled} bytes sent before the answer"
        );
    }
    assert_eq!(
        count_rows(app.settings.database.url.as_deref().unwrap(), "drafts").await,
        0
    );
}

#[tokio::test]
async fn the_html_form_reads_on_past_a_small_refused_file_but_not_past_a_huge_one() {
    let app = TestApp::spawn().await;
    let c = logged_in(&app, "RSSMRA85T10A562S").await;
    let page = app.page(&c, "/servizi/patrocinio").await;
    let (csrf, id) = (hidden(&page, "_csrf"), hidden(&page, "_id"));
    // As browsers send it: the file among the fields, the button pressed last.
    let form = Form::new()
        .percent_encode_noop()
        .text("_csrf", csrf.clone())
        .text("_id", id.clone())
        .part(
            FIELD,
            Part::bytes(b"MZ\x90\x00 not a pdf".to_vec()).file_name("programma.pdf"),
        )
        .text("/evento/titolo", "Festa della musica")
        .text("_action", "bozza");
    let r = c
        .post(app.at("/servizi/patrocinio"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = unescape(&r.text().await.unwrap());
    assert!(
        body.contains("Bozza salvata."),
        "the button after the file counts: {body}"
    );
    assert!(
        body.contains("Il file non è di un tipo accettato"),
        "{body}"
    );
    assert!(body.contains(r#"value="Festa della musica""#), "{body}");

    // A refused file far larger than its field allows ends the request instead.
    let head = vec![("_csrf".to_owned(), csrf), ("_id".to_owned(), id)];
    let lazy = Lazy::file(head, FIELD, b"%PDF-1.7\n", HUGE);
    let (status, text, pulled) = send_lazy(&c, &app.at("/servizi/patrocinio"), &lazy, false).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert!(
        pulled < 2 * 10 * MB + IN_FLIGHT,
        "{pulled} bytes sent before the answer"
    );
    assert_eq!(
        count_rows(app.settings.database.url.as_deref().unwrap(), "attachments").await,
        0
    );
}
