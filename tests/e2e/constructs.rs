//! Repeatable groups and conditional sections through the HTML pages, as a browser without
//! JavaScript uses them: rows added and removed by buttons (answers kept), fields that apply
//! only under a condition checked when they apply and dropped when they do not.

use istanze_tests::{
    concorso, header, hidden, patrocinio, pdf_text, section_fields, unescape, TestApp,
};
use reqwest::StatusCode;

fn with(base: &[(String, String)], extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out = base.to_vec();
    for (k, v) in extra {
        out.retain(|(n, _)| n != k);
        out.push((k.to_string(), v.to_string()));
    }
    out
}

#[tokio::test]
async fn patrocinio_rows_and_conditions_without_javascript() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let first = app.page(&c, "/servizi/patrocinio").await;
    assert!(
        first.contains(r#"value="aggiungi:/altri_soggetti""#),
        "{first}"
    );
    assert!(first.contains(r#"name="/altri_soggetti/0/denominazione""#));
    assert!(first.contains(r#"data-controller="/evento/ingresso""#));
    assert!(
        first.contains("Da compilare solo se hai risposto «A pagamento» a «Ingresso»."),
        "without the script, the note says when the block applies"
    );
    let base = with(
        &section_fields(&patrocinio(), None),
        &[
            ("_csrf", &hidden(&first, "_csrf")),
            ("_id", &hidden(&first, "_id")),
        ],
    );
    let post = |fields: Vec<(String, String)>| {
        let c = c.clone();
        let url = app.at("/servizi/patrocinio");
        async move { c.post(url).form(&fields).send().await.unwrap() }
    };

    // Add a row: the answers stay, the new row takes the focus.
    let r = post(with(
        &base,
        &[
            ("/altri_soggetti/0/denominazione", "Pro Loco"),
            ("/altri_soggetti/0/ruolo", "Co-organizzatore"),
            ("_action", "aggiungi:/altri_soggetti"),
        ],
    ))
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = unescape(&r.text().await.unwrap());
    assert!(body.contains(r#"value="Pro Loco""#));
    assert!(
        body.contains(r#"value="Festa della musica""#),
        "other answers kept"
    );
    assert!(
        body.contains(r#"name="/altri_soggetti/1/denominazione" value="" autofocus"#),
        "{body}"
    );
    assert!(body.contains("Rimuovi Altro soggetto coinvolto n. 1"));
    assert!(
        !body.contains("La domanda non è stata inviata"),
        "no checks on a row button"
    );

    // Remove the first of two rows: the second moves up.
    let two = with(
        &base,
        &[
            ("/altri_soggetti/0/denominazione", "Pro Loco"),
            ("/altri_soggetti/0/ruolo", "Co-organizzatore"),
            ("/altri_soggetti/1/denominazione", "Banda civica"),
            ("/altri_soggetti/1/ruolo", "Musica"),
        ],
    );
    let r = post(with(&two, &[("_action", "rimuovi:/altri_soggetti/0")])).await;
    let body = unescape(&r.text().await.unwrap());
    assert!(body.contains(r#"name="/altri_soggetti/0/denominazione" value="Banda civica""#));
    assert!(!body.contains("Pro Loco"));
    // A forged button for a row that does not exist changes nothing.
    let r = post(with(&two, &[("_action", "rimuovi:/altri_soggetti/9")])).await;
    let body = unescape(&r.text().await.unwrap());
    assert!(body.contains("Pro Loco") && body.contains("Banda civica"));

    // An empty row before a half-filled one: the error is shown on the row the citizen filled
    // (empty rows go before checking, and the page shows what was checked).
    let r = post(with(
        &base,
        &[
            ("/altri_soggetti/0/denominazione", ""),
            ("/altri_soggetti/0/ruolo", ""),
            ("/altri_soggetti/1/denominazione", "Banda civica"),
        ],
    ))
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = unescape(&r.text().await.unwrap());
    assert!(
        body.contains(r#"name="/altri_soggetti/0/denominazione" value="Banda civica""#),
        "{body}"
    );
    assert!(body.contains(r##"href="#f-altri_soggetti-0-ruolo""##));
    assert!(!body.contains(r#"name="/altri_soggetti/1/denominazione""#));

    // Paid entry: the price applies and is required; a row half filled is reported.
    let paid = with(
        &two,
        &[
            ("/evento/ingresso", "pagamento"),
            ("/altri_soggetti/1/ruolo", ""),
        ],
    );
    let r = post(paid.clone()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = unescape(&r.text().await.unwrap());
    assert!(body.contains(r##"href="#f-evento-prezzo""##), "{body}");
    assert!(body.contains(r##"href="#f-altri_soggetti-1-ruolo""##));
    assert!(body.contains("correggi 2 campi"), "{body}");

    // Submitted as a person with a stale organisation and an empty third row: both dropped.
    let r = post(with(
        &paid,
        &[
            ("/altri_soggetti/1/ruolo", "Musica"),
            ("/altri_soggetti/2/denominazione", ""),
            ("/evento/prezzo", "5,50"),
            (
                "/organizzazione/denominazione",
                "Associazione che non c'entra",
            ),
        ],
    ))
    .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    let id = header(&r, "location")
        .trim_start_matches("/domande/")
        .to_owned();
    let pdf = app.pdf(&c, &id, "document").await;
    let text = pdf_text(&pdf);
    assert!(text.contains("Altro soggetto coinvolto n. 2"), "{text}");
    assert!(text.contains("Banda civica") && text.contains("Pro Loco"));
    assert!(!text.contains("Altro soggetto coinvolto n. 3"));
    assert!(
        text.contains("Prezzo del biglietto intero (euro) 5.5"),
        "{text}"
    );
    assert!(
        !text.contains("non c'entra"),
        "the organisation does not apply to a person"
    );
}

#[tokio::test]
async fn concorso_step_with_work_experience_rows_and_conditional_aids() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let steps: [&[&str]; 3] = [
        &["concorso", "anagrafica"],
        &["residenza", "recapiti"],
        &["titolo_studio", "requisiti", "riserve"],
    ];
    for (i, sections) in steps.iter().enumerate().take(2) {
        let p = app
            .page(&c, &format!("/servizi/concorso/passo/{}", i + 1))
            .await;
        let mut body = section_fields(&concorso(), Some(sections));
        body.push(("_csrf".into(), hidden(&p, "_csrf")));
        let r = c
            .post(app.at(&format!("/servizi/concorso/passo/{}", i + 1)))
            .form(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let p = app.page(&c, "/servizi/concorso/passo/3").await;
    assert!(p.contains(r#"name="/esperienze/0/datore""#));
    let base = with(
        &section_fields(&concorso(), Some(steps[2])),
        &[
            ("_csrf", &hidden(&p, "_csrf")),
            ("/esperienze/0/datore", "Comune di Roma"),
            ("/esperienze/0/ruolo", "Istruttore amministrativo"),
            ("/esperienze/0/dal", "2015-01-01"),
            ("/esperienze/0/al", "2020-12-31"),
        ],
    );
    let step3 = app.at("/servizi/concorso/passo/3");
    let r = c
        .post(&step3)
        .form(&with(&base, &[("_action", "aggiungi:/esperienze")]))
        .send()
        .await
        .unwrap();
    let body = unescape(&r.text().await.unwrap());
    assert!(body.contains("Passo 3 di 4"), "the same step again");
    assert!(
        body.contains(r#"name="/esperienze/1/datore" value="" autofocus"#),
        "{body}"
    );
    assert!(body.contains(r#"value="Comune di Roma""#));

    // Aids asked for: what they are becomes required.
    let r = c
        .post(&step3)
        .form(&with(
            &base,
            &[
                ("/riserve/richiede_ausili", "true"),
                ("/esperienze/1/datore", ""),
            ],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = unescape(&r.text().await.unwrap());
    assert!(body.contains(r##"href="#f-riserve-ausili""##), "{body}");
    let r = c
        .post(&step3)
        .form(&with(
            &base,
            &[
                ("/riserve/richiede_ausili", "true"),
                ("/riserve/ausili", "Tempo aggiuntivo del 50%"),
            ],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&r, "location"), "/servizi/concorso/passo/4");
    let p = app.page(&c, "/servizi/concorso/passo/4").await;
    let mut body = section_fields(&concorso(), Some(&["allegati", "privacy"]));
    body.push(("_csrf".into(), hidden(&p, "_csrf")));
    let r = c
        .post(app.at("/servizi/concorso/passo/4"))
        .form(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&r, "location"), "/servizi/concorso/riepilogo");
    let summary = app.page(&c, "/servizi/concorso/riepilogo").await;
    assert!(summary.contains("Esperienza lavorativa n. 1"), "{summary}");
    assert!(summary.contains("Comune di Roma"));
    assert!(
        !summary.contains("Esperienza lavorativa n. 2"),
        "the empty row is gone"
    );
    assert!(summary.contains("Tempo aggiuntivo del 50%"));
}
