//! A ClamAV daemon for the tests: it speaks clamd's INSTREAM protocol (`zINSTREAM\0`, chunks
//! with a 4-byte big-endian length, a zero length at the end, an answer ended by NUL) and flags
//! any stream containing the EICAR test string, so the tests need no downloaded signatures. Like
//! clamd, it stops a stream longer than its limit (`StreamMaxLength`) with `INSTREAM size limit
//! exceeded. ERROR` and closes the connection.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The standard antivirus test string (not a virus): what the fake daemon flags.
pub const EICAR: &str = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

/// The running daemon.
#[derive(Debug)]
pub struct Clamd {
    /// `tcp:127.0.0.1:PORT`, as `attachments.clamav` wants it.
    pub address: String,
    /// Streams scanned so far.
    pub scans: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Clamd {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Clamd {
    /// Stops the daemon; returns once its listener is closed (at most 10 s), so the next
    /// connection is refused.
    pub async fn stop(mut self) {
        self.task.abort();
        let task = std::mem::replace(&mut self.task, tokio::spawn(async {}));
        let stopped = tokio::time::timeout(std::time::Duration::from_secs(10), task).await;
        assert!(stopped.is_ok(), "the test clamd did not stop within 10 s");
    }

    pub async fn start() -> Clamd {
        Clamd::start_with_limit(25 * 1024 * 1024).await
    }

    /// A daemon that scans streams of at most `limit` bytes.
    pub async fn start_with_limit(limit: usize) -> Clamd {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("tcp:{}", listener.local_addr().unwrap());
        let scans = Arc::new(AtomicUsize::new(0));
        let counter = scans.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut conn, _)) = listener.accept().await {
                let counter = counter.clone();
                tokio::spawn(async move {
                    let mut command = [0u8; 10];
                    if conn.read_exact(&mut command).await.is_err() || &command != b"zINSTREAM\0" {
                        let _ = conn.write_all(b"UNKNOWN COMMAND\0").await;
                        return;
                    }
                    let mut data = Vec::new();
                    loop {
                        let mut len = [0u8; 4];
                        if conn.read_exact(&mut len).await.is_err() {
                            return;
                        }
                        let len = u32::from_be_bytes(len) as usize;
                        if len == 0 {
                            break;
                        }
                        let mut chunk = vec![0u8; len];
                        if conn.read_exact(&mut chunk).await.is_err() {
                            return;
                        }
                        data.extend_from_slice(&chunk);
                        if data.len() > limit {
                            let _ = conn
                                .write_all(b"INSTREAM size limit exceeded. ERROR\0")
                                .await;
                            return;
                        }
                    }
                    counter.fetch_add(1, Ordering::SeqCst);
                    let infected = data.windows(EICAR.len()).any(|w| w == EICAR.as_bytes());
                    let answer: &[u8] = if infected {
                        b"stream: Eicar-Test-Signature FOUND\0"
                    } else {
                        b"stream: OK\0"
                    };
                    let _ = conn.write_all(answer).await;
                });
            }
        });
        Clamd {
            address,
            scans,
            task,
        }
    }

    pub fn scans(&self) -> usize {
        self.scans.load(Ordering::SeqCst)
    }
}
