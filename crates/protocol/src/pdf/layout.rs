//! Line breaking and pagination: blocks become positioned lines on A4 pages.

use skrifa::instance::{LocationRef, Size};
use skrifa::MetadataProvider;

use super::{bad, Block};
use crate::Result;

pub(super) const WIDTH: f32 = 595.0;
pub(super) const HEIGHT: f32 = 842.0;
pub(super) const MARGIN: f32 = 56.0;

static SANS: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");
static MONO: &[u8] = include_bytes!("../../fonts/DejaVuSansMono.ttf");
static MONO_BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSansMono-Bold.ttf");

/// The embedded faces; the discriminant indexes [`Face::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Face {
    Sans = 0,
    SansBold = 1,
    Mono = 2,
    MonoBold = 3,
}

impl Face {
    pub(super) const ALL: [Face; 4] = [Face::Sans, Face::SansBold, Face::Mono, Face::MonoBold];

    pub(super) fn bytes(self) -> &'static [u8] {
        match self {
            Face::Sans => SANS,
            Face::SansBold => SANS_BOLD,
            Face::Mono => MONO,
            Face::MonoBold => MONO_BOLD,
        }
    }
}

/// A line of text at its place on the page (baseline at `y`, from the top).
#[derive(Debug, Clone)]
pub(super) struct Placed {
    pub face: Face,
    pub size: f32,
    pub x: f32,
    pub y: f32,
    pub text: String,
    /// The index of the block the line belongs to (for the structure tree).
    pub block: usize,
}

struct Style {
    face: Face,
    size: f32,
    leading: f32,
    before: f32,
    /// Keep with the next line (titles and labels never end a page).
    keep: bool,
}

fn style(b: &Block) -> Style {
    let s = |face, size, leading, before, keep| Style {
        face,
        size,
        leading,
        before,
        keep,
    };
    match b {
        Block::Title(_) => s(Face::SansBold, 16.0, 21.0, 0.0, true),
        Block::Heading(_) => s(Face::SansBold, 12.0, 16.0, 10.0, true),
        Block::Label(_) => s(Face::SansBold, 9.0, 12.0, 5.0, true),
        Block::Text(_) => s(Face::Sans, 10.0, 13.5, 0.0, false),
        Block::Mono(_) => s(Face::Mono, 8.5, 11.5, 0.0, false),
        Block::MonoBold(_) => s(Face::MonoBold, 8.5, 11.5, 0.0, false),
        Block::Gap => s(Face::Sans, 10.0, 8.0, 0.0, false),
    }
}

/// The text with every character the face lacks replaced by `?`, control characters by spaces.
pub(super) fn printable(text: &str, face: Face) -> Result<String> {
    let font = skrifa::FontRef::new(face.bytes()).map_err(|e| bad(&format!("font: {e}")))?;
    let charmap = font.charmap();
    Ok(text
        .chars()
        // Byte-order and non-characters map to nothing a reader can use (PDF/UA forbids them).
        .filter(|c| !matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}'))
        .map(|c| match c {
            c if c.is_control() => ' ',
            c if charmap.map(c).is_some() => c,
            _ => '?',
        })
        .collect())
}

/// Breaks `text` into lines no wider than `width` points, at spaces where possible.
fn wrap(text: &str, face: Face, size: f32, width: f32) -> Result<Vec<String>> {
    let font = skrifa::FontRef::new(face.bytes()).map_err(|e| bad(&format!("font: {e}")))?;
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    let advance = |c: char| {
        charmap
            .map(c)
            .and_then(|g| metrics.advance_width(g))
            .unwrap_or(size)
    };
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let chars: Vec<char> = paragraph.chars().collect();
        let mut start = 0;
        while start < chars.len() || (start == 0 && chars.is_empty()) {
            let mut end = start;
            let mut used = 0.0;
            let mut last_space = None;
            while end < chars.len() && used + advance(chars[end]) <= width {
                if chars[end] == ' ' {
                    last_space = Some(end);
                }
                used += advance(chars[end]);
                end += 1;
            }
            if end == start && end < chars.len() {
                end += 1; // A glyph wider than the page still moves on.
            }
            let cut = match last_space {
                Some(s) if end < chars.len() && s > start => s + 1,
                _ => end,
            };
            lines.push(
                chars[start..cut]
                    .iter()
                    .collect::<String>()
                    .trim_end()
                    .to_owned(),
            );
            start = cut;
            if chars.is_empty() {
                break;
            }
        }
    }
    Ok(lines)
}

/// Lays the blocks out on pages, leaving room at the bottom for the footer.
pub(super) fn paginate(blocks: &[Block]) -> Result<Vec<Vec<Placed>>> {
    let bottom = HEIGHT - MARGIN;
    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut y = MARGIN;
    for (i, b) in blocks.iter().enumerate() {
        let st = style(b);
        let text = match b {
            Block::Title(t)
            | Block::Heading(t)
            | Block::Label(t)
            | Block::Text(t)
            | Block::Mono(t)
            | Block::MonoBold(t) => printable(t, st.face)?,
            Block::Gap => {
                y += st.leading;
                continue;
            }
        };
        let lines = wrap(&text, st.face, st.size, WIDTH - 2.0 * MARGIN)?;
        let next_leading = blocks.get(i + 1).map_or(0.0, |n| style(n).leading);
        if !pages.last().is_some_and(Vec::is_empty) {
            y += st.before;
        }
        for (n, line) in lines.iter().enumerate() {
            let keep = if st.keep && n + 1 == lines.len() {
                next_leading
            } else {
                0.0
            };
            if y + st.leading + keep > bottom && pages.last().is_some_and(|p| !p.is_empty()) {
                pages.push(Vec::new());
                y = MARGIN;
            }
            y += st.leading;
            if let Some(page) = pages.last_mut() {
                page.push(Placed {
                    face: st.face,
                    size: st.size,
                    x: MARGIN,
                    y,
                    text: line.clone(),
                    block: i,
                });
            }
        }
    }
    Ok(pages)
}
