//! A client of ClamAV's daemon (clamd) over its INSTREAM command, fed while the upload streams
//! in: each chunk preceded by its length (4 bytes, big-endian), ended by a zero length; clamd
//! answers `stream: OK` or `stream: <name> FOUND`. A stream longer than clamd's
//! `StreamMaxLength` (25 MB by default) is cut off with `INSTREAM size limit exceeded. ERROR` as
//! soon as it passes the limit: the answer is listened for while the file is still being sent,
//! so that the upload stops then, and it is told apart from a daemon that is down.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::oneshot;

/// What clamd said of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    Infected(String),
    /// Larger than the daemon will scan.
    TooLarge,
}

/// clamd's word, or why there is none.
pub type Answer = Result<Verdict, String>;

/// The largest piece sent in one INSTREAM chunk.
const PIECE: usize = 64 * 1024;

type Reader = Box<dyn AsyncRead + Send + Unpin>;
type Writer = Box<dyn AsyncWrite + Send + Unpin>;

/// A scan in progress: the file goes in with [`Scan::feed`], the verdict comes from
/// [`Scan::finish`] (or earlier, from `feed`, when clamd stops the stream).
pub struct Scan {
    writer: Writer,
    answer: oneshot::Receiver<Answer>,
    listener: tokio::task::JoinHandle<()>,
    timeout: Duration,
}

impl Drop for Scan {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

async fn connect(address: &str) -> std::io::Result<(Reader, Writer)> {
    if let Some(path) = address.strip_prefix("unix:") {
        let (r, w) = tokio::net::UnixStream::connect(path).await?.into_split();
        Ok((Box::new(r), Box::new(w)))
    } else {
        let addr = address.strip_prefix("tcp:").unwrap_or(address);
        let (r, w) = tokio::net::TcpStream::connect(addr).await?.into_split();
        Ok((Box::new(r), Box::new(w)))
    }
}

impl Scan {
    /// Opens a scan with the clamd at `address` (`tcp:host:port` or `unix:/path`); `timeout`
    /// bounds each step (connecting, each write, the final answer).
    pub async fn start(address: &str, timeout: Duration) -> Result<Scan, String> {
        let (reader, writer) = tokio::time::timeout(timeout, connect(address))
            .await
            .map_err(|_| "clamd: no answer in time".to_owned())?
            .map_err(|e| format!("clamd: {e}"))?;
        let (tell, answer) = oneshot::channel();
        let listener = tokio::spawn(async move {
            let _ = tell.send(listen(reader).await);
        });
        let mut scan = Scan {
            writer,
            answer,
            listener,
            timeout,
        };
        scan.write(b"zINSTREAM\0")
            .await
            .map_err(|e| format!("clamd: {e}"))?;
        Ok(scan)
    }

    async fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        tokio::time::timeout(self.timeout, self.writer.write_all(bytes))
            .await
            .map_err(|_| std::io::Error::other("no progress in time"))?
    }

    /// clamd's answer if it has already come.
    fn early(&mut self) -> Option<Answer> {
        match self.answer.try_recv() {
            Ok(answer) => Some(answer),
            Err(oneshot::error::TryRecvError::Empty) => None,
            Err(oneshot::error::TryRecvError::Closed) => Some(Err("clamd: no answer".into())),
        }
    }

    async fn wait(&mut self) -> Answer {
        match tokio::time::timeout(self.timeout, &mut self.answer).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(_)) => Err("clamd: no answer".into()),
            Err(_) => Err("clamd: no answer in time".into()),
        }
    }

    /// Sends the next bytes of the file. `Err` carries clamd's answer when it has already
    /// spoken (a stream past its limit) or why it cannot go on: the scan is over.
    pub async fn feed(&mut self, data: &[u8]) -> Result<(), Answer> {
        if let Some(answer) = self.early() {
            return Err(answer);
        }
        for piece in data.chunks(PIECE) {
            let len = u32::try_from(piece.len()).map_err(|e| Err(e.to_string()))?;
            let sent = match self.write(&len.to_be_bytes()).await {
                Ok(()) => self.write(piece).await,
                Err(e) => Err(e),
            };
            if let Err(e) = sent {
                // clamd answers and closes as soon as a stream is too long: a failed write is
                // followed by reading what it said.
                return Err(match self.wait().await {
                    Ok(verdict) => Ok(verdict),
                    Err(_) => Err(format!("clamd: {e}")),
                });
            }
        }
        Ok(())
    }

    /// Ends the stream and waits for the verdict.
    pub async fn finish(mut self) -> Answer {
        if let Some(answer) = self.early() {
            return answer;
        }
        let ended = match self.write(&0u32.to_be_bytes()).await {
            Ok(()) => tokio::time::timeout(self.timeout, self.writer.flush())
                .await
                .map_err(|_| std::io::Error::other("no progress in time"))
                .and_then(|r| r),
            Err(e) => Err(e),
        };
        match (self.wait().await, ended) {
            (Ok(verdict), _) => Ok(verdict),
            (Err(_), Err(e)) => Err(format!("clamd: {e}")),
            (Err(e), Ok(())) => Err(e),
        }
    }
}

/// Reads clamd's answer: it ends with NUL (the `z` prefix) or with the connection.
async fn listen(mut reader: Reader) -> Answer {
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    // 1 KiB is plenty for any answer.
    while answer.len() < 1024 {
        match reader.read(&mut byte).await {
            Ok(0) | Err(_) => break,
            Ok(_) if byte[0] == 0 => break,
            Ok(_) => answer.push(byte[0]),
        }
    }
    parse(String::from_utf8_lossy(&answer).trim())
}

fn parse(text: &str) -> Answer {
    let body = text.strip_prefix("stream:").map(str::trim).unwrap_or(text);
    if body == "OK" {
        Ok(Verdict::Clean)
    } else if body.contains("size limit exceeded") {
        Ok(Verdict::TooLarge)
    } else if let Some(name) = body.strip_suffix("FOUND") {
        Ok(Verdict::Infected(name.trim().to_owned()))
    } else {
        Err(format!("clamd answered {text:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read() {
        assert_eq!(parse("stream: OK"), Ok(Verdict::Clean));
        assert_eq!(
            parse("stream: Eicar-Signature FOUND"),
            Ok(Verdict::Infected("Eicar-Signature".into()))
        );
        assert_eq!(
            parse("INSTREAM size limit exceeded. ERROR"),
            Ok(Verdict::TooLarge)
        );
        assert!(parse("UNKNOWN COMMAND").is_err());
    }
}
