//! PDF/A-2b (and PDF/UA-1) documents: declared as such, identical for identical input, paged, and printable
//! whatever characters a registration holds.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use istanze_protocol::pdf::{render, Line};

fn lines(n: usize) -> Vec<Line> {
    (0..n)
        .map(|i| {
            Line::plain(format!(
                "{i:07} Richiesta di patrocinio per l'evento numero {i} — «città» € ✓"
            ))
        })
        .collect()
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

#[test]
fn a_long_register_is_a_paged_deterministic_pdf_a_2b() {
    let when = Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap();
    let a = render("Registro giornaliero", &lines(150), when).unwrap();
    let b = render("Registro giornaliero", &lines(150), when).unwrap();
    assert_eq!(a, b, "deterministic");
    assert!(a.starts_with(b"%PDF-1.7"), "PDF/A-2 is based on PDF 1.7");
    assert!(
        count(&a, b"<pdfaid:part>2</pdfaid:part>") == 1,
        "XMP declares PDF/A-2"
    );
    assert!(count(&a, b"<pdfaid:conformance>B</pdfaid:conformance>") == 1);
    assert_eq!(count(&a, b"/Count 3"), 1, "150 lines take three pages");
    let other = render("Registro giornaliero", &lines(149), when).unwrap();
    assert_ne!(a, other);
}

#[test]
fn characters_without_a_glyph_do_not_stop_the_document() {
    let when = Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap();
    let pdf = render(
        "Prova",
        &[
            Line::bold("Oggetto: festa 🎉 di quartiere 漢字"),
            Line::plain("\u{7}controllo"),
        ],
        when,
    )
    .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn documents_are_tagged_for_screen_readers_pdf_ua_1() {
    use istanze_protocol::pdf::{render_blocks, Block};
    let when = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
    let mut blocks = vec![
        Block::Title("Domanda di patrocinio".into()),
        Block::Heading("Richiedente".into()),
        Block::Label("Nome".into()),
        // A byte-order mark pasted into an answer must not break the document.
        Block::Text("\u{feff}Ada".into()),
        Block::Gap,
    ];
    for i in 0..60 {
        blocks.push(Block::Heading(format!("Sezione {i}")));
        blocks.push(Block::Text(format!("Testo della sezione {i}")));
    }
    let pdf = render_blocks("Domanda di patrocinio", &blocks, "Provincia di Prova", when).unwrap();
    assert_eq!(
        pdf,
        render_blocks("Domanda di patrocinio", &blocks, "Provincia di Prova", when).unwrap(),
        "still deterministic"
    );
    assert_eq!(
        count(&pdf, b"<pdfuaid:part>1</pdfuaid:part>"),
        1,
        "declares PDF/UA-1"
    );
    assert_eq!(
        count(&pdf, b"<pdfaid:part>2</pdfaid:part>"),
        1,
        "and stays PDF/A-2"
    );
    assert!(count(&pdf, b"/StructTreeRoot") >= 1);
    assert!(count(&pdf, b"/MarkInfo") >= 1);
    assert_eq!(count(&pdf, b"/S/H1"), 1, "one title");
    assert_eq!(
        count(&pdf, b"/S/H2"),
        61,
        "every section title is a heading"
    );
    assert!(
        count(&pdf, b"/S/P") >= 62,
        "labels and texts are paragraphs"
    );
    assert!(
        count(&pdf, b"/Outlines") >= 1,
        "headings are in the outline"
    );
}
