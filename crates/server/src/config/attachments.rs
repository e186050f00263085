//! Where uploaded files are kept and how they are checked.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Where the bytes of uploaded files live.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentStorage {
    /// In the database, beside the submission (one place to back up).
    #[default]
    Database,
    /// As files in `attachments.dir` (large volumes; back the directory up with the database).
    Directory,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AttachmentSettings {
    pub storage: AttachmentStorage,
    /// For `directory` storage; defaults to `<data_dir>/allegati`. Uploads in progress are
    /// written under it too.
    pub dir: Option<PathBuf>,
    /// The most all the files of one application may weigh together.
    pub max_total_bytes: u64,
    /// The ClamAV daemon (`tcp:host:port` or `unix:/path`): when set, every file is scanned
    /// with INSTREAM before it is accepted.
    pub clamav: Option<String>,
    pub clamav_timeout_seconds: u64,
    /// Files uploaded but never part of a submitted application are deleted after this.
    pub unsubmitted_hours: i64,
    /// The most the files one citizen has uploaded and not yet submitted (drafts included) may
    /// weigh together: storage cannot be filled by uploads that never become applications.
    pub max_pending_bytes_per_owner: u64,
    /// The most a request with files may carry in all (files, text fields, framing): reading
    /// stops there and the request is answered 413. Unset: `max_total_bytes` plus room for the
    /// text parts (see [`AttachmentSettings::max_request_bytes`]).
    pub max_request_bytes: Option<u64>,
}

/// Room for a form's text parts beside its files when the request cap is derived: the HTML
/// form's text fields (2 MiB at most) and the multipart framing of a few thousand parts.
const TEXT_ROOM: u64 = 4 * 1024 * 1024;

impl AttachmentSettings {
    /// The cap on a request with files: as configured, or `max_total_bytes` plus room for the
    /// text parts, which in the API hold the JSON of up to `max_body_bytes`.
    pub fn max_request_bytes(&self, max_body_bytes: usize) -> u64 {
        self.max_request_bytes.unwrap_or_else(|| {
            let json = u64::try_from(max_body_bytes).unwrap_or(u64::MAX);
            self.max_total_bytes
                .saturating_add(TEXT_ROOM.max(json.saturating_add(1024 * 1024)))
        })
    }
}

impl Default for AttachmentSettings {
    fn default() -> Self {
        AttachmentSettings {
            storage: AttachmentStorage::Database,
            dir: None,
            max_total_bytes: 30 * 1024 * 1024,
            clamav: None,
            clamav_timeout_seconds: 60,
            unsubmitted_hours: 72,
            max_pending_bytes_per_owner: 200 * 1024 * 1024,
            max_request_bytes: None,
        }
    }
}
