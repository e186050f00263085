//! Where the bytes of a file go while it streams in, and how they come back out: in chunks in
//! the database (`storage = "database"`) or as a file in the attachments directory. Neither way
//! holds a whole file in memory; only the callers that must hand a whole file to someone else
//! (the register adapters) gather one, with [`read_all`].

use std::path::PathBuf;

use crate::db::scope::Scoped;
use sha2::Digest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::config::{AttachmentStorage, Settings};
use crate::db::{attachment, content};
use crate::store::StoreError;

/// Why the bytes of a file could not be written or read back.
#[derive(Debug, thiserror::Error)]
pub enum BytesError {
    /// The attachments directory refused an operation (full disk, permissions).
    #[error("attachments: {context}: {source}")]
    Io {
        context: &'static str,
        source: std::io::Error,
    },
    #[error("{0}")]
    Store(#[from] StoreError),
    /// What was read back is not what was uploaded: a missing chunk, a changed or truncated
    /// file. Never handed out as if it were the document.
    #[error("attachment {id}: the stored bytes do not match the size and digest taken at upload")]
    Mismatch { id: String },
}

impl From<sea_orm::DbErr> for BytesError {
    fn from(e: sea_orm::DbErr) -> BytesError {
        BytesError::Store(e.into())
    }
}

fn io(context: &'static str) -> impl Fn(std::io::Error) -> BytesError {
    move |source| BytesError::Io { context, source }
}

/// The directory of stored files (directory storage) and of uploads in progress.
pub fn directory(settings: &Settings) -> PathBuf {
    settings
        .attachments
        .dir
        .clone()
        .unwrap_or_else(|| settings.server.data_dir.join("allegati"))
}

/// The bytes of an upload in progress.
pub(super) enum Writer {
    Database {
        db: Scoped,
        id: String,
        seq: i32,
        buf: Vec<u8>,
    },
    Directory {
        file: tokio::fs::File,
        tmp: PathBuf,
        dest: PathBuf,
    },
}

impl Writer {
    /// Opens the place for file `id`. A temporary file in directory storage is named after the
    /// upload, under `tmp/`, and moved into place only once the file is accepted.
    pub async fn open(settings: &Settings, db: &Scoped, id: &str) -> Result<Writer, BytesError> {
        match settings.attachments.storage {
            AttachmentStorage::Database => Ok(Writer::Database {
                db: db.clone(),
                id: id.to_owned(),
                seq: 0,
                buf: Vec::with_capacity(content::CHUNK),
            }),
            AttachmentStorage::Directory => {
                let dir = directory(settings);
                let tmp_dir = dir.join("tmp");
                // Private: uploads are personal data (see `secure_files`).
                crate::secure_files::create_private_dir(&tmp_dir)
                    .map_err(io("temporary directory"))?;
                let tmp = tmp_dir.join(id);
                let file = crate::secure_files::create_private_file(&tmp)
                    .await
                    .map_err(io("temporary file"))?;
                Ok(Writer::Directory {
                    file,
                    tmp,
                    dest: dir.join(id),
                })
            }
        }
    }

    /// The files this upload writes, to remove if it does not end with its row stored.
    pub fn files(&self) -> Vec<PathBuf> {
        match self {
            Writer::Database { .. } => Vec::new(),
            Writer::Directory { tmp, dest, .. } => vec![tmp.clone(), dest.clone()],
        }
    }

    pub async fn write(&mut self, data: &[u8]) -> Result<(), BytesError> {
        match self {
            Writer::Database { db, id, seq, buf } => {
                buf.extend_from_slice(data);
                while buf.len() >= content::CHUNK {
                    let rest = buf.split_off(content::CHUNK);
                    let full = std::mem::replace(buf, rest);
                    content::write_chunk(db, db.admin(), id, *seq, full).await?;
                    *seq += 1;
                }
                Ok(())
            }
            Writer::Directory { file, .. } => file.write_all(data).await.map_err(io("write")),
        }
    }

    /// Writes what is left and puts the file in place: the `path` of the stored file (directory
    /// storage), if any.
    pub async fn finish(self) -> Result<Option<String>, BytesError> {
        match self {
            Writer::Database { db, id, seq, buf } => {
                if !buf.is_empty() {
                    content::write_chunk(&db, db.admin(), &id, seq, buf).await?;
                }
                Ok(None)
            }
            Writer::Directory {
                mut file,
                tmp,
                dest,
            } => {
                file.flush().await.map_err(io("write"))?;
                // The row naming the file is committed next: its bytes are on disk first.
                file.sync_all().await.map_err(io("write"))?;
                drop(file);
                tokio::fs::rename(&tmp, &dest).await.map_err(io("rename"))?;
                Ok(dest.file_name().map(|n| n.to_string_lossy().into_owned()))
            }
        }
    }
}

/// A stored file, read a chunk at a time.
#[derive(Debug)]
pub struct Reader {
    source: Source,
}

#[derive(Debug)]
enum Source {
    Chunks {
        db: Scoped,
        id: String,
        next: i32,
        first: Option<Vec<u8>>,
    },
    /// Stored whole by an earlier version (or empty): handed out in one piece.
    Whole(Option<Vec<u8>>),
    File(tokio::fs::File),
}

impl Reader {
    pub async fn open(
        settings: &Settings,
        db: &Scoped,
        a: &attachment::Model,
    ) -> Result<Reader, BytesError> {
        let source = match &a.path {
            Some(p) => Source::File(
                tokio::fs::File::open(directory(settings).join(p))
                    .await
                    .map_err(io("open"))?,
            ),
            None => match content::chunk(db, db.admin(), &a.id, 0).await? {
                Some(first) => Source::Chunks {
                    db: db.clone(),
                    id: a.id.clone(),
                    next: 1,
                    first: Some(first),
                },
                None => Source::Whole(content::whole(db, db.admin(), &a.id).await?),
            },
        };
        Ok(Reader { source })
    }

    /// The next piece of the file; `None` at its end.
    pub async fn next(&mut self) -> Result<Option<Vec<u8>>, BytesError> {
        match &mut self.source {
            Source::Chunks {
                db,
                id,
                next,
                first,
            } => {
                if let Some(first) = first.take() {
                    return Ok(Some(first));
                }
                let chunk = content::chunk(db, db.admin(), id, *next).await?;
                *next += 1;
                Ok(chunk)
            }
            Source::Whole(bytes) => Ok(bytes.take()),
            Source::File(file) => {
                let mut buf = vec![0u8; content::CHUNK];
                let n = file.read(&mut buf).await.map_err(io("read"))?;
                if n == 0 {
                    return Ok(None);
                }
                buf.truncate(n);
                Ok(Some(buf))
            }
        }
    }
}

/// The whole of a stored file, checked against the size and SHA-256 taken when it was
/// uploaded: a missing chunk or a changed file is an error, never a different document.
pub async fn read_all(
    db: &Scoped,
    settings: &Settings,
    a: &attachment::Model,
) -> Result<Vec<u8>, BytesError> {
    let mut reader = Reader::open(settings, db, a).await?;
    let size = usize::try_from(a.size).unwrap_or(0);
    let mut out = Vec::with_capacity(size);
    let mut hasher = sha2::Sha256::new();
    while let Some(piece) = reader.next().await? {
        hasher.update(&piece);
        out.extend_from_slice(&piece);
        if out.len() > size {
            break;
        }
    }
    let digest: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if out.len() != size || digest != a.sha256 {
        return Err(BytesError::Mismatch { id: a.id.clone() });
    }
    Ok(out)
}
