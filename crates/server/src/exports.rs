//! Exports of the back office: the applications of a queue as a table, with the case's columns
//! (code, protocol, service, subject, state, term, office, assignee) and, for one form, its
//! answers' columns as the staff chose them; written as CSV (RFC 4180, UTF-8 with BOM, cells
//! that a spreadsheet would read as a formula made text), XLSX, ODS (OpenDocument 1.3, written
//! here as its few XML parts in a zip) or JSON lines. The reach is the queue's: the same
//! [`CaseQuery`] with the member's offices.

use istanze_forms::{Column, Form};
use std::io::Write;

use crate::store::cases::{CaseRow, CaseStore};
use crate::store::submissions::SubmissionStore;
use crate::store::StoreError;

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("spreadsheet: {0}")]
    Spreadsheet(String),
    /// More rows than a spreadsheet is made for here: CSV and JSON lines stream any number.
    #[error("more than {max} rows for a spreadsheet")]
    TooManyRows { max: u64 },
}

/// The most rows an XLSX or ODS export holds (XLSX itself stops at 1,048,576; the file is made
/// in memory).
pub const MAX_SPREADSHEET_ROWS: u64 = 100_000;

/// The longest text an XLSX cell holds.
const XLSX_CELL: usize = 32_767;

/// The file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Ods,
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "ods" => Some(Format::Ods),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    pub const fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Json => "jsonl",
        }
    }

    pub const fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Format::Json => "application/x-ndjson",
        }
    }
}

/// The columns every export has, before the form's.
pub const CASE_COLUMNS: [&str; 10] = [
    "Codice",
    "Protocollo",
    "Data di protocollo",
    "Servizio",
    "Oggetto",
    "Stato",
    "Termine",
    "Ufficio",
    "Assegnata a",
    "Presentata il",
];

/// The header row: the case's columns, then the form's chosen ones.
pub fn headers(columns: &[Column]) -> Vec<String> {
    CASE_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .chain(columns.iter().map(|c| c.label.clone()))
        .collect()
}

/// The rows of `cases`, with the answers of `form`'s `columns` (none without a form).
pub async fn rows(
    store: &(impl CaseStore + SubmissionStore),
    cases: &[CaseRow],
    form: Option<&Form>,
    columns: &[Column],
) -> Result<Vec<Vec<String>>, ExportError> {
    let mut out = Vec::with_capacity(cases.len());
    for c in cases {
        let Some(s) = store.get(&c.submission_id).await? else {
            continue;
        };
        let when = |t| {
            istanze_protocol::rome::local(t)
                .format("%d/%m/%Y %H:%M")
                .to_string()
        };
        let mut row = vec![
            s.id.clone(),
            s.protocol_number
                .map(|n| format!("{n:07}/{}", s.protocol_year.unwrap_or_default()))
                .unwrap_or_default(),
            s.protocol_at.map(when).unwrap_or_default(),
            s.form_title.clone(),
            s.subject.clone(),
            crate::i18n::tr(crate::cases::state_message(c.state)),
            c.due_on.format("%d/%m/%Y").to_string(),
            c.office.clone().unwrap_or_default(),
            c.assignee.clone().unwrap_or_default(),
            when(s.submitted_at),
        ];
        if let Some(form) = form {
            let data: serde_json::Value = serde_json::from_str(&s.data).unwrap_or_default();
            row.extend(form.cells(columns, &data));
        }
        out.push(row);
    }
    Ok(out)
}

/// A cell a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, or a control character
/// first) made text with a leading apostrophe: an export must never run anything.
fn defused(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// One CSV line (RFC 4180: quoted when needed, CRLF).
pub fn csv_line(cells: &[String]) -> String {
    let mut line = cells
        .iter()
        .map(|c| {
            let c = defused(c);
            if c.contains([',', '"', '\n', '\r', ';']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// The headers as JSON keys: a label that repeats (two fields called "Nome") gets ` (2)`,
/// ` (3)`, so that no column is lost.
pub fn json_keys(headers: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(headers.len());
    for h in headers {
        let mut key = h.clone();
        let mut n = 1;
        while keys.contains(&key) {
            n += 1;
            key = format!("{h} ({n})");
        }
        keys.push(key);
    }
    keys
}

/// One JSON line: an object from the keys (see [`json_keys`]) to the cells.
pub fn json_line(keys: &[String], cells: &[String]) -> String {
    let object: serde_json::Map<String, serde_json::Value> = keys
        .iter()
        .zip(cells)
        .map(|(h, c)| (h.clone(), serde_json::Value::String(c.clone())))
        .collect();
    let mut line = serde_json::Value::Object(object).to_string();
    line.push('\n');
    line
}

/// The table as an XLSX workbook (one sheet, the header row bold and frozen).
pub fn xlsx(headers: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, ExportError> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let bad = |e: rust_xlsxwriter::XlsxError| ExportError::Spreadsheet(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Domande").map_err(bad)?;
    let bold = CellFormat::new().set_bold();
    for (col, h) in headers.iter().enumerate() {
        let col = u16::try_from(col).map_err(|e| ExportError::Spreadsheet(e.to_string()))?;
        sheet
            .write_string_with_format(0, col, h, &bold)
            .map_err(bad)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|e| ExportError::Spreadsheet(e.to_string()))?;
        for (col, cell) in row.iter().enumerate() {
            let col = u16::try_from(col).map_err(|e| ExportError::Spreadsheet(e.to_string()))?;
            // Strings stay strings: nothing an applicant typed becomes a formula. A text longer
            // than a cell holds is cut, and says so.
            let text = if cell.chars().count() > XLSX_CELL {
                let mut cut: String = cell.chars().take(XLSX_CELL - 20).collect();
                cut.push_str(" [... troncato]");
                std::borrow::Cow::Owned(cut)
            } else {
                std::borrow::Cow::Borrowed(cell.as_str())
            };
            sheet.write_string(r, col, text.as_ref()).map_err(bad)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(bad)?;
    book.save_to_buffer().map_err(bad)
}

fn xml_escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const ODS_MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;

/// The table as an OpenDocument spreadsheet: `mimetype` first and stored, the manifest, and
/// `content.xml` with one table of string cells.
pub fn ods(headers: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, ExportError> {
    use zip::write::SimpleFileOptions;
    let bad = |e: zip::result::ZipError| ExportError::Spreadsheet(e.to_string());
    let io = |e: std::io::Error| ExportError::Spreadsheet(e.to_string());
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Domande">"#,
    );
    for row in std::iter::once(headers).chain(rows.iter().map(Vec::as_slice)) {
        content.push_str("<table:table-row>");
        for cell in row {
            content.push_str(r#"<table:table-cell office:value-type="string"><text:p>"#);
            content.push_str(&xml_escape(cell));
            content.push_str("</text:p></table:table-cell>");
        }
        content.push_str("</table:table-row>");
    }
    content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).map_err(bad)?;
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .map_err(io)?;
    zip.start_file("META-INF/manifest.xml", deflated)
        .map_err(bad)?;
    zip.write_all(ODS_MANIFEST.as_bytes()).map_err(io)?;
    zip.start_file("content.xml", deflated).map_err(bad)?;
    zip.write_all(content.as_bytes()).map_err(io)?;
    Ok(zip.finish().map_err(bad)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it_and_never_writes_a_formula() {
        let line = csv_line(&[
            "a".into(),
            "b,c".into(),
            "=HYPERLINK(\"x\")".into(),
            "d\"e".into(),
        ]);
        assert_eq!(line, "a,\"b,c\",\"'=HYPERLINK(\"\"x\"\")\",\"d\"\"e\"\r\n");
        assert_eq!(csv_line(&["-1".into()]), "'-1\r\n");
    }

    #[test]
    fn repeated_labels_get_their_own_keys_and_long_cells_fit() {
        let keys = json_keys(&["Nome".into(), "Nome".into(), "Nome".into(), "Luogo".into()]);
        assert_eq!(keys, ["Nome", "Nome (2)", "Nome (3)", "Luogo"]);
        let long = "x".repeat(40_000);
        assert!(xlsx(&["A".into()], &[vec![long]]).is_ok());
    }

    #[test]
    fn xml_text_is_escaped_and_control_characters_dropped() {
        assert_eq!(xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
