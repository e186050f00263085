//! Plain PDF/A-2b documents for the register (the daily register, and copies of texts kept for
//! conservation): monospaced lines on A4 pages, numbered "Pagina i di n".
//!
//! Rendered with krilla, whose PDF/A-2b validator runs at generation: a document that would
//! not conform is refused, never written. The font (DejaVu Sans Mono, free licence, in
//! `fonts/`) is embedded; every character has the same width, so lines wrap exactly.
//! Deterministic: the same lines, title and date give the same bytes.
//!
//! ```
//! use istanze_protocol::pdf::{render, Line};
//! let when = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap();
//! let bytes = render("Prova", &[Line::bold("Titolo"), Line::plain("Testo")], when).unwrap();
//! assert!(bytes.starts_with(b"%PDF-"));
//! ```

use chrono::{DateTime, Datelike, Timelike, Utc};
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::Point;
use krilla::metadata::{DateTime as PdfDateTime, Metadata};
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};

use crate::{ProtocolError, Result};

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSansMono.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSansMono-Bold.ttf");

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const SIZE: f32 = 9.0;
const LEADING: f32 = 12.5;
/// DejaVu Sans Mono advances every glyph by 1233/2048 em.
const ADVANCE: f32 = 1233.0 / 2048.0;

/// One line of the document (wrapped if longer than the page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub bold: bool,
}

impl Line {
    pub fn plain(text: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            bold: false,
        }
    }

    pub fn bold(text: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            bold: true,
        }
    }
}

fn columns() -> usize {
    ((WIDTH - 2.0 * MARGIN) / (SIZE * ADVANCE)) as usize
}

/// Characters the fonts have no glyph for become `?`: PDF/A forbids drawing the missing-glyph
/// box, and a register must never fail to print because a subject holds an emoji.
fn printable(text: &str) -> Result<Vec<char>> {
    use skrifa::MetadataProvider;
    let bad = |e: skrifa::raw::ReadError| ProtocolError::Invalid(format!("PDF font: {e}"));
    let regular = skrifa::FontRef::new(REGULAR).map_err(bad)?.charmap();
    let bold = skrifa::FontRef::new(BOLD).map_err(bad)?.charmap();
    Ok(text
        .chars()
        .map(|c| match c {
            c if c.is_control() => ' ',
            c if regular.map(c).is_some() && bold.map(c).is_some() => c,
            _ => '?',
        })
        .collect())
}

/// Splits lines longer than the page, at spaces where possible.
fn wrap(lines: &[Line]) -> Result<Vec<Line>> {
    let max = columns();
    let mut out = Vec::new();
    for line in lines {
        let mut rest = printable(&line.text)?;
        loop {
            if rest.len() <= max {
                out.push(Line {
                    text: rest.iter().collect(),
                    bold: line.bold,
                });
                break;
            }
            let cut = rest[..max]
                .iter()
                .rposition(|c| *c == ' ')
                .filter(|p| *p > max / 2)
                .map_or(max, |p| p + 1);
            out.push(Line {
                text: rest[..cut].iter().collect::<String>().trim_end().to_owned(),
                bold: line.bold,
            });
            rest = rest[cut..].to_vec();
        }
    }
    Ok(out)
}

fn pdf_date(t: DateTime<Utc>) -> PdfDateTime {
    let year = u16::try_from(t.year()).unwrap_or(0);
    PdfDateTime::new(year)
        .month(t.month() as u8)
        .day(t.day() as u8)
        .hour(t.hour() as u8)
        .minute(t.minute() as u8)
        .second(t.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// Renders `lines` as a PDF/A-2b document titled `title`, dated `created`.
pub fn render(title: &str, lines: &[Line], created: DateTime<Utc>) -> Result<Vec<u8>> {
    let bad = |what: &str| ProtocolError::Invalid(format!("PDF: {what}"));
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_B)
        .finish()
        .map_err(|e| bad(&format!("{e:?}")))?;
    let mut document = Document::new_with(SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    });
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language("it".into())
            .creator("istanze".into())
            .producer("istanze".into())
            .creation_date(pdf_date(created)),
    );
    let regular = Font::new(REGULAR.into(), 0).ok_or_else(|| bad("font"))?;
    let bold = Font::new(BOLD.into(), 0).ok_or_else(|| bad("font"))?;
    let lines = wrap(lines)?;
    let per_page = (((HEIGHT - 2.0 * MARGIN) / LEADING) as usize).saturating_sub(2);
    let pages: Vec<&[Line]> = if lines.is_empty() {
        vec![&[]]
    } else {
        lines.chunks(per_page).collect()
    };
    let total = pages.len();
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| bad("page size"))?;
    for (i, chunk) in pages.into_iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut y = MARGIN + SIZE;
        for line in chunk {
            let font = if line.bold { &bold } else { &regular };
            surface.draw_text(
                Point::from_xy(MARGIN, y),
                font.clone(),
                SIZE,
                &line.text,
                false,
                TextDirection::Auto,
            );
            y += LEADING;
        }
        surface.draw_text(
            Point::from_xy(MARGIN, HEIGHT - MARGIN + LEADING),
            regular.clone(),
            SIZE,
            &printable(&format!("{title} - Pagina {} di {total}", i + 1))?
                .into_iter()
                .collect::<String>(),
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| bad(&format!("{e:?}")))
}
