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
        }
    }
}
