//! The application document (PDF/A-2b, the primary document filed into the register) and the
//! receipt PDF: what they say, that the document is the registered one, and that only the
//! owner can download them.

use istanze_tests::{header, pdf_info, pdf_text, TestApp};
use reqwest::StatusCode;
use sha2::Digest;

fn hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn the_owner_downloads_the_pdf_a_document_and_a_receipt_with_the_protocol_number() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let id = app.submit_patrocinio(&c).await;
    let filed = app.wait_for_protocol(&c, &id).await;

    let r = c
        .get(app.at(&format!("/api/v1/submissions/{id}/document")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "content-type"), "application/pdf");
    assert!(header(&r, "content-disposition").contains(&format!("domanda-{id}.pdf")));
    assert!(header(&r, "cache-control").contains("no-store"));
    let pdf = r.bytes().await.unwrap();
    assert_eq!(
        hex(&pdf),
        filed["document_sha256"].as_str().unwrap(),
        "the document downloaded is the one registered"
    );
    let info = pdf_info(&pdf);
    assert!(info.contains("PDF version:     1.7"), "{info}");
    assert!(
        info.contains("Tagged:          yes"),
        "tagged for screen readers: {info}"
    );
    assert!(
        info.contains("Page size:       595 x 842 pts (A4)"),
        "{info}"
    );
    assert!(pdf
        .windows(28)
        .any(|w| w == b"<pdfaid:part>2</pdfaid:part>"));
    let text = pdf_text(&pdf);
    for expected in [
        "Richiesta di patrocinio e uso dello stemma",
        &id,
        "RSSMRA85T10A562S",
        "Identità di prova livello 2",
        "Titolo dell'evento Festa della musica",
        "Tipo di evento Culturale",
        "Data di inizio 21/06/2027",
        "Sì, dichiaro",
        "Nessun allegato",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in: {text}");
    }

    let r = c
        .get(app.at(&format!("/api/v1/submissions/{id}/receipt")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let receipt = pdf_text(&r.bytes().await.unwrap());
    let number = filed["protocol"]["number"].as_str().unwrap();
    for expected in [
        format!("Numero {number}"),
        filed["document_sha256"].as_str().unwrap().to_owned(),
        id.clone(),
        "Cosa succede adesso".to_owned(),
    ] {
        assert!(
            receipt.contains(&expected),
            "{expected:?} missing in: {receipt}"
        );
    }

    // The receipt page links both.
    let page = c
        .get(app.at(&format!("/domande/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("/api/v1/submissions/{id}/document")));
    assert!(page.contains(&format!("/api/v1/submissions/{id}/receipt")));
}

#[tokio::test]
async fn nobody_else_gets_the_documents() {
    let app = TestApp::spawn().await;
    let owner = app.client();
    app.login(&owner, "RSSMRA85T10A562S", 2).await;
    let id = app.submit_patrocinio(&owner).await;
    let other = app.client();
    app.login(&other, "BNCLCU92M55F205G", 2).await;
    let anonymous = app.client();
    for what in ["document", "receipt"] {
        let url = app.at(&format!("/api/v1/submissions/{id}/{what}"));
        let r = other.get(&url).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{what}");
        let r = anonymous.get(&url).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{what}");
    }
}
