//! The daily register as a PDF/A-2b document: the same registrations as the JSON copy, for
//! people and for conservation systems that take documents, with the JSON's digest so that the
//! two copies vouch for each other.

use chrono::{DateTime, Utc};

use super::daily::DailyRegister;
use crate::pdf::{render, Line};
use crate::Result;

impl DailyRegister {
    /// The PDF/A-2b copy; `json_sha256` is the digest of the JSON copy written beside it.
    pub fn pdf(
        &self,
        administration: &str,
        json_sha256: &str,
        produced_at: DateTime<Utc>,
    ) -> Result<Vec<u8>> {
        let mut lines = vec![
            Line::bold("REGISTRO GIORNALIERO DI PROTOCOLLO"),
            Line::plain(format!("{administration} ({})", self.ipa_code)),
            Line::plain(format!(
                "AOO {} - Registro {} - Giorno {}",
                self.aoo, self.register, self.date
            )),
            Line::plain(format!("Registrazioni: {}", self.count)),
            Line::plain(format!("Ultima impronta della catena: {}", self.chain_head)),
            Line::plain(format!("Prodotto il: {}", self.produced_at)),
            Line::plain(format!("Impronta SHA-256 della copia JSON: {json_sha256}")),
            Line::plain(""),
        ];
        for e in &self.entries {
            lines.push(Line::bold(format!(
                "N. {}/{} del {} ({})",
                e.number, e.year, e.registered_at, e.direction
            )));
            lines.push(Line::plain(format!("  Oggetto: {}", e.subject)));
            let who = e.correspondent["name"].as_str().unwrap_or_default();
            let cf = e.correspondent["fiscal_number"]
                .as_str()
                .unwrap_or_default();
            lines.push(Line::plain(format!("  Corrispondente: {who} {cf}")));
            lines.push(Line::plain(format!(
                "  Classifica: {} - Allegati: {}",
                e.classification, e.attachments
            )));
            lines.push(Line::plain(format!(
                "  Documento: {} SHA-256 {}",
                e.primary_document, e.primary_sha256
            )));
            lines.push(Line::plain(format!(
                "  Impronta registrazione: {}",
                e.entry_hash
            )));
            if let Some(a) = &e.annulled {
                lines.push(Line::bold(format!("  ANNULLATA: {a}")));
            }
        }
        if self.entries.is_empty() {
            lines.push(Line::plain("Nessuna registrazione in questo giorno."));
        }
        render(
            &format!("Registro giornaliero {} {}", self.register, self.date),
            &lines,
            produced_at,
        )
    }
}
