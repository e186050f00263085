//! How long drafts live, and when the citizen is warned.

use serde::{Deserialize, Serialize};

/// How long drafts live, and when the citizen is warned.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DraftSettings {
    pub expire_days: i64,
    /// The warning e-mail goes this many days before expiry (with `notifications.email`).
    pub warn_days: i64,
}

impl Default for DraftSettings {
    fn default() -> Self {
        DraftSettings {
            expire_days: 30,
            warn_days: 7,
        }
    }
}

impl DraftSettings {
    /// When a draft saved at `now` expires (at least a day later).
    pub fn expires_at(&self, now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
        now + chrono::Duration::days(self.expire_days.max(1))
    }
}
