//! A client of ClamAV's daemon (clamd) over its INSTREAM command: the file is sent in chunks,
//! each preceded by its length (4 bytes, big-endian), ended by a zero length; clamd answers
//! `stream: OK` or `stream: <name> FOUND`. A stream longer than clamd's `StreamMaxLength`
//! (25 MB by default) is cut off with `INSTREAM size limit exceeded. ERROR`: that is a property
//! of the file, told apart from a daemon that is down.

use std::path::Path;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// What clamd said of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    Infected(String),
    /// Larger than the daemon will scan.
    TooLarge,
}

const CHUNK: usize = 64 * 1024;

/// Scans `file` with the clamd at `address` (`tcp:host:port` or `unix:/path`).
pub async fn scan(address: &str, file: &Path, timeout: Duration) -> Result<Verdict, String> {
    let work = async {
        if let Some(path) = address.strip_prefix("unix:") {
            let stream = tokio::net::UnixStream::connect(path)
                .await
                .map_err(|e| format!("clamd: {e}"))?;
            instream(stream, file).await
        } else {
            let addr = address.strip_prefix("tcp:").unwrap_or(address);
            let stream = tokio::net::TcpStream::connect(addr)
                .await
                .map_err(|e| format!("clamd: {e}"))?;
            instream(stream, file).await
        }
    };
    tokio::time::timeout(timeout, work)
        .await
        .map_err(|_| "clamd: no answer in time".to_owned())?
}

async fn instream<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    file: &Path,
) -> Result<Verdict, String> {
    let io = |e: std::io::Error| format!("clamd: {e}");
    let mut input = tokio::fs::File::open(file).await.map_err(io)?;
    // clamd answers and closes as soon as a stream is too long, so a failed write is followed
    // by reading what it said.
    let sent = send(&mut stream, &mut input).await.map_err(io);
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    // The answer ends with NUL (the `z` prefix) or with the connection; 1 KiB is plenty.
    while answer.len() < 1024 {
        match stream.read(&mut byte).await {
            Ok(0) | Err(_) => break,
            Ok(_) if byte[0] == 0 => break,
            Ok(_) => answer.push(byte[0]),
        }
    }
    let text = String::from_utf8_lossy(&answer).trim().to_owned();
    match (parse(&text), sent) {
        (Ok(verdict), _) => Ok(verdict),
        (Err(_), Err(e)) => Err(e),
        (Err(e), Ok(())) => Err(e),
    }
}

async fn send<S: AsyncWrite + Unpin>(
    stream: &mut S,
    input: &mut tokio::fs::File,
) -> std::io::Result<()> {
    stream.write_all(b"zINSTREAM\0").await?;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = input.read(&mut buf).await?;
        let len = u32::try_from(n).map_err(std::io::Error::other)?;
        stream.write_all(&len.to_be_bytes()).await?;
        if n == 0 {
            break;
        }
        stream.write_all(&buf[..n]).await?;
    }
    stream.flush().await
}

fn parse(text: &str) -> Result<Verdict, String> {
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
