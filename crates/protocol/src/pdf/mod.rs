//! PDF/A-2b and PDF/UA-1 documents: the application document, receipts and the daily register.
//!
//! Rendered with krilla, whose PDF/A-2b and PDF/UA-1 validators run at generation: a document
//! that would not conform is refused, never written. Every document is tagged for screen
//! readers: the title and section titles are headings (also in the outline), the other blocks
//! paragraphs, in reading order; the footer with the page number is a pagination artifact. The fonts (DejaVu Sans and Sans Mono, free licence,
//! in `fonts/`) are embedded; text is wrapped by the fonts' own advance widths. Characters
//! the fonts lack are printed as `?`: PDF/A forbids the missing-glyph box, and a document must
//! never fail because an answer holds an emoji. Deterministic: the same blocks, title and date
//! give the same bytes, so a document's digest can be checked at any time.
//!
//! ```
//! use istanze_protocol::pdf::{render_blocks, Block};
//! let when = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap();
//! let blocks = [Block::Title("Domanda".into()), Block::Label("Nome".into()), Block::Text("Ada".into())];
//! let bytes = render_blocks("Domanda", &blocks, "Provincia di Prova", when).unwrap();
//! assert!(bytes.starts_with(b"%PDF-"));
//! ```

mod layout;

use chrono::{DateTime, Datelike, Timelike, Utc};
use std::num::NonZeroU16;

use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::metadata::{DateTime as PdfDateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, SpanTag, Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};

use crate::{ProtocolError, Result};
use layout::{paginate, Face, Placed, HEIGHT, MARGIN, WIDTH};

/// A piece of a document, laid out top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The document's title (large, bold).
    Title(String),
    /// A section title.
    Heading(String),
    /// A field's label (bold, kept with the text that follows).
    Label(String),
    /// Running text, wrapped.
    Text(String),
    /// Fixed-width text (digests, register listings).
    Mono(String),
    MonoBold(String),
    /// Vertical space.
    Gap,
}

/// One line of a fixed-width document (wrapped if longer than the page).
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

/// Renders fixed-width `lines` titled `title` (also the footer), dated `created`.
pub fn render(title: &str, lines: &[Line], created: DateTime<Utc>) -> Result<Vec<u8>> {
    let blocks: Vec<Block> = lines
        .iter()
        .map(|l| match l.bold {
            true => Block::MonoBold(l.text.clone()),
            false => Block::Mono(l.text.clone()),
        })
        .collect();
    render_blocks(title, &blocks, title, created)
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

fn bad(what: &str) -> ProtocolError {
    ProtocolError::Invalid(format!("PDF: {what}"))
}

/// Renders `blocks` as a PDF/A-2b document titled `title`, dated `created`, with `footer` and
/// "Pagina i di n" at the bottom of each page.
pub fn render_blocks(
    title: &str,
    blocks: &[Block],
    footer: &str,
    created: DateTime<Utc>,
) -> Result<Vec<u8>> {
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_B)
        .with_accessibility_validator(Accessibility::UA1)
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
    let fonts = Face::ALL
        .iter()
        .map(|f| Font::new(f.bytes().into(), 0).ok_or_else(|| bad("font")))
        .collect::<Result<Vec<_>>>()?;
    let pages = paginate(blocks)?;
    let total = pages.len();
    // The lines of each block, wherever they fall, and the page its first line is on.
    let mut marked: Vec<Vec<Identifier>> = vec![Vec::new(); blocks.len()];
    let mut first_page: Vec<Option<(usize, f32)>> = vec![None; blocks.len()];
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| bad("page size"))?;
    for (i, lines) in pages.into_iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let footer_line = layout::printable(
            &format!("{footer} - Pagina {} di {total}", i + 1),
            Face::Sans,
        )?;
        let footer = Placed {
            face: Face::Sans,
            size: 8.0,
            x: MARGIN,
            y: HEIGHT - MARGIN / 2.0,
            text: footer_line,
            block: usize::MAX,
        };
        for line in &lines {
            if line.text.is_empty() {
                continue;
            }
            let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
            draw(&mut surface, &fonts, line);
            surface.end_tagged();
            if let Some(ids) = marked.get_mut(line.block) {
                ids.push(id);
            }
            if let Some(slot @ None) = first_page.get_mut(line.block) {
                *slot = Some((i, line.y - line.size));
            }
        }
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
            ArtifactType::Footer,
        )));
        draw(&mut surface, &fonts, &footer);
        surface.end_tagged();
        surface.finish();
        page.finish();
    }
    let (tree, outline) = structure(blocks, marked, &first_page)?;
    document.set_tag_tree(tree);
    document.set_outline(outline);
    document.finish().map_err(|e| bad(&format!("{e:?}")))
}

fn draw(surface: &mut krilla::surface::Surface, fonts: &[Font], line: &Placed) {
    if let Some(font) = fonts.get(line.face as usize) {
        surface.draw_text(
            Point::from_xy(line.x, line.y),
            font.clone(),
            line.size,
            &line.text,
            false,
            TextDirection::Auto,
        );
    }
}

/// The structure tree (headings and paragraphs in block order) and the outline (the headings).
fn structure(
    blocks: &[Block],
    marked: Vec<Vec<Identifier>>,
    first_page: &[Option<(usize, f32)>],
) -> Result<(TagTree, Outline)> {
    let mut tree = TagTree::new().with_lang(Some("it".into()));
    let mut outline = Outline::new();
    let level = |n: u16| NonZeroU16::new(n).ok_or_else(|| bad("heading level"));
    for ((block, ids), first) in blocks.iter().zip(marked).zip(first_page) {
        if ids.is_empty() {
            continue;
        }
        let tag: TagKind = match block {
            Block::Title(t) | Block::Heading(t) => {
                let n = if matches!(block, Block::Title(_)) {
                    1
                } else {
                    2
                };
                let text = t.split_whitespace().collect::<Vec<_>>().join(" ");
                if let Some((page, y)) = first {
                    outline.push_child(OutlineNode::new(
                        text.clone(),
                        XyzDestination::new(*page, Point::from_xy(MARGIN, *y)),
                    ));
                }
                Tag::Hn(level(n)?, Some(text)).into()
            }
            _ => Tag::P.into(),
        };
        let mut group = TagGroup::new(tag);
        for id in ids {
            group.push(id);
        }
        tree.push(group);
    }
    Ok((tree, outline))
}
