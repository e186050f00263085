//! Exports of a queue: XLSX and ODS that a spreadsheet library reads back (calamine, the
//! reader behind many Rust tools, opening them as LibreOffice or Excel would), CSV and JSON
//! lines streamed, with the columns the member of staff chose; an applicant's text never
//! becomes a formula, and another administration's staff export nothing of these.

use std::io::Cursor;

use calamine::{Data, Ods, Reader, Xlsx};
use istanze_tests::{patrocinio, Server, TestApp};
use reqwest::{Client, StatusCode};

use crate::administrations::{two_administrations, CITIZEN, MUNICIPALITY};

const OPERATOR: &str = "MRNLRA82C53L219U";

async fn staff(server: &Server, _app: &TestApp) -> Client {
    server.staff_client(OPERATOR).await
}

fn cells(range: &calamine::Range<Data>) -> Vec<Vec<String>> {
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

async fn download(server: &Server, c: &Client, query: &str) -> (StatusCode, String, Vec<u8>) {
    let r = c
        .get(server.at(&format!("/ufficio/domande/esporta?{query}")))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, r.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_queue_exports_as_xlsx_ods_csv_and_json_with_the_chosen_columns() {
    let app = two_administrations().await;
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let mut data = patrocinio();
    data["evento"]["titolo"] = "=HYPERLINK(\"http://x\")".into();
    let r = app.submit(&citizen, "patrocinio", &data).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let first: serde_json::Value = r.json().await.unwrap();
    let first = first["id"].as_str().unwrap().to_owned();
    let second = app.submit_patrocinio(&citizen).await;
    app.wait_for_protocol(&citizen, &first).await;
    app.wait_for_protocol(&citizen, &second).await;
    let operator = staff(&app, &app).await;

    let chosen =
        "coda=da-prendere&modulo=patrocinio&colonne=%2Fevento%2Ftitolo&colonne=%2Fevento%2Fluogo";
    let (status, kind, xlsx) = download(&app, &operator, &format!("formato=xlsx&{chosen}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("application/vnd.openxmlformats"), "{kind}");
    let mut book = Xlsx::new(Cursor::new(xlsx)).unwrap();
    let sheet = cells(&book.worksheet_range("Domande").unwrap());
    let (ods_status, _, ods) = download(&app, &operator, &format!("formato=ods&{chosen}")).await;
    assert_eq!(ods_status, StatusCode::OK);
    let mut book = Ods::new(Cursor::new(ods)).unwrap();
    let from_ods = cells(&book.worksheet_range("Domande").unwrap());
    assert_eq!(sheet, from_ods, "the same table in both formats");

    assert_eq!(sheet.len(), 3, "a header and two applications: {sheet:?}");
    let header = &sheet[0];
    assert_eq!(header[0], "Codice");
    assert_eq!(header[1], "Protocollo");
    assert_eq!(&header[10..], ["Titolo dell'evento", "Luogo"], "{header:?}");
    let row = sheet.iter().find(|r| r[0] == first).unwrap();
    assert_eq!(row[3], "Richiesta di patrocinio e uso dello stemma");
    assert_eq!(row[5], "Ricevuta");
    assert_eq!(
        row[10], "=HYPERLINK(\"http://x\")",
        "a string, never a formula"
    );
    assert_eq!(row[11], "Piazza del Popolo, Roma");
    assert!(
        row[1].ends_with(&format!("/{}", chrono::Utc::now().format("%Y"))),
        "{row:?}"
    );

    // CSV: the same rows, a formula defused, quoted where needed.
    let (status, kind, csv) = download(&app, &operator, &format!("formato=csv&{chosen}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "text/csv; charset=utf-8");
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("\u{feff}Codice,Protocollo,"), "{csv}");
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    assert!(csv.contains(",\"Piazza del Popolo, Roma\""), "{csv}");
    // In the member's language on every streamed page, not only the first.
    let r = operator
        .get(app.at("/ufficio/domande/esporta?formato=csv&coda=da-prendere"))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    let english = r.text().await.unwrap();
    assert!(english.contains(",Received,"), "{english}");
    // JSON lines, every answer's column when none is chosen.
    let (_, _, json) = download(
        &app,
        &operator,
        "formato=json&coda=da-prendere&modulo=patrocinio",
    )
    .await;
    let lines: Vec<serde_json::Value> = String::from_utf8(json)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["Luogo"], "Piazza del Popolo, Roma");
    assert!(
        lines[0].get("Numero di partecipanti previsto").is_some(),
        "{}",
        lines[0]
    );

    // Every answer's checkbox unticked on the page: the case's columns only.
    let (_, _, json) = download(
        &app,
        &operator,
        "formato=json&coda=da-prendere&modulo=patrocinio&colonne-scelte=1",
    )
    .await;
    let line: serde_json::Value =
        serde_json::from_str(String::from_utf8(json).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(line.as_object().unwrap().len(), 10, "{line}");
    // A format that is not offered, and a queue that does not exist.
    assert_eq!(
        download(&app, &operator, "formato=pdf").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        download(&app, &operator, "formato=csv&coda=tutte").await.0,
        StatusCode::NOT_FOUND
    );

    // The municipality's staff export the municipality's applications: none of these.
    let municipality = app.ente(MUNICIPALITY);
    let there = staff(&municipality, &app).await;
    let (status, _, csv) = download(&municipality, &there, "formato=csv&coda=da-prendere").await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 1, "the header alone: {csv}");
    assert!(!csv.contains(&first) && !csv.contains(&second));
}
