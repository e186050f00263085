//! PDF/A-2b documents: declared as such, identical for identical input, paged, and printable
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
