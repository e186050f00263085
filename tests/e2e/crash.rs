//! The server as a separate process: killed with SIGKILL in the middle of a burst of 1,000
//! submissions and restarted, and two processes on one database under the same burst. Every
//! submission that got a receipt is filed exactly once; the numbers stay gapless and unique.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use istanze_tests::{patrocinio, test_settings, Server};
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn write_config(
    dir: &Path,
    name: &str,
    port: u16,
    settings: &istanze_server::config::Settings,
) -> std::path::PathBuf {
    let path = dir.join(format!("{name}.toml"));
    let toml = format!(
        "[server]\nbind = \"127.0.0.1:{port}\"\ndemo = true\ndata_dir = {data:?}\n\n[database]\nurl = {db:?}\n\n\
         [forms]\ndir = {forms:?}\n\n[worker]\npoll_interval_ms = 50\nbase_backoff_seconds = 1\nlease_seconds = 10\n",
        data = settings.server.data_dir.display().to_string(),
        db = settings.database.url.clone().unwrap(),
        forms = settings.forms.dir.display().to_string(),
    );
    std::fs::write(&path, toml).unwrap();
    path
}

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start(config: &Path, port: u16) -> (Process, Server) {
    let log = std::fs::File::create(config.with_extension("log")).unwrap();
    // Owned by `Process` at once: whatever happens next, the process is killed and reaped.
    let process = Process(
        Command::new(env!("CARGO_BIN_EXE_istanze-test-server"))
            .args(["serve", "--config"])
            .arg(config)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    let server = Server {
        url: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client
            .get(server.at("/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return (process, server);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the server did not start: see {}",
        config.with_extension("log").display()
    );
}

/// Sends `count` submissions, `parallel` at a time, spread over `servers`; returns the ids
/// that got a receipt. Each carries its own `Idempotency-Key`, so that a request that got no
/// answer at all (the connection closed under it) is sent once more, as a real client would:
/// the first application comes back (200) if it was stored, or is made now (201); never two.
/// `after_each` sees the number of receipts so far.
async fn burst(
    servers: &[Server],
    client: &reqwest::Client,
    count: usize,
    parallel: usize,
    after_each: impl Fn(usize) + Send + Sync + 'static,
) -> Vec<String> {
    let receipts = Arc::new(AtomicUsize::new(0));
    let after_each = Arc::new(after_each);
    futures::stream::iter(0..count)
        .map(|i| {
            let url = servers[i % servers.len()].at("/api/v1/forms/patrocinio/submissions");
            let (client, receipts, after_each) =
                (client.clone(), receipts.clone(), after_each.clone());
            let key = uuid::Uuid::new_v4().to_string();
            async move {
                let send = || {
                    client
                        .post(&url)
                        .header("Idempotency-Key", &key)
                        .json(&patrocinio())
                        .send()
                };
                let r = match send().await {
                    Ok(r) => r,
                    Err(first) => match send().await {
                        Ok(r) => {
                            eprintln!("submit answered on its second sending: {first:?}");
                            r
                        }
                        Err(e) => {
                            // Said too: a submit that never got an answer is a failed run.
                            eprintln!("submit without an answer, twice: {first:?}; {e:?}");
                            return None;
                        }
                    },
                };
                if r.status() != 201 && r.status() != 200 {
                    // Said, so that a failing run tells why.
                    eprintln!(
                        "submit refused: {} {}",
                        r.status(),
                        r.text().await.unwrap_or_default()
                    );
                    return None;
                }
                let body: serde_json::Value = r.json().await.ok()?;
                after_each(receipts.fetch_add(1, Ordering::SeqCst) + 1);
                body["id"].as_str().map(str::to_owned)
            }
        })
        .buffer_unordered(parallel)
        .filter_map(|id| async move { id })
        .collect()
        .await
}

/// Every receipt filed, and the register holds exactly one entry per stored submission with
/// numbers 1..=n.
async fn assert_all_filed_once(
    server: &Server,
    client: &reqwest::Client,
    receipts: &[String],
    db_url: &str,
) {
    for id in receipts {
        server.wait_for_protocol(client, id).await;
    }
    let db = sea_orm::Database::connect(db_url).await.unwrap();
    // Submissions whose 201 was lost when the process died are filed too.
    for _ in 0..400 {
        let pending = istanze_server::db::job::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .iter()
            .filter(|o| o.done_at.is_none())
            .count();
        if pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let submissions = istanze_server::db::submission::Entity::find()
        .count(&db)
        .await
        .unwrap();
    let entries = istanze_protocol::embedded::entry::Entity::find()
        .order_by_asc(istanze_protocol::embedded::entry::Column::Number)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        entries.len() as u64,
        submissions,
        "one registration per stored submission"
    );
    let numbers: Vec<i64> = entries.iter().map(|e| e.number).collect();
    assert_eq!(
        numbers,
        (1..=entries.len() as i64).collect::<Vec<_>>(),
        "gapless and unique"
    );
    assert!(receipts.len() as u64 <= submissions);
}

#[tokio::test]
async fn sigkill_in_the_middle_of_a_burst_loses_nothing() {
    let (settings, dir) = test_settings().await;
    let port = free_port();
    let config = write_config(dir.path(), "a", port, &settings);
    let (first, server) = start(&config, port).await;
    let client = server.client();
    server.login(&client, "RSSMRA85T10A562S", 2).await;
    let pid = first.0.id();
    let receipts = burst(std::slice::from_ref(&server), &client, 1000, 32, move |n| {
        if n == 300 {
            // SIGKILL: no shutdown, no flush, in the middle of requests and filings.
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    })
    .await;
    drop(first);
    assert!(
        receipts.len() >= 300 && receipts.len() < 1000,
        "the kill happened mid-burst: {}",
        receipts.len()
    );
    let (_second, server) = start(&config, port).await;
    assert_all_filed_once(
        &server,
        &client,
        &receipts,
        settings.database.url.as_deref().unwrap(),
    )
    .await;
    assert_eq!(
        istanze_server::protocol_admin::verify(&settings)
            .await
            .unwrap()
            .map(|n| n > 0),
        Ok(true)
    );
}

#[tokio::test]
async fn two_processes_on_one_database_file_each_submission_once() {
    let (settings, dir) = test_settings().await;
    let (pa, pb) = (free_port(), free_port());
    let (a, server_a) = start(&write_config(dir.path(), "a", pa, &settings), pa).await;
    let (b, server_b) = start(&write_config(dir.path(), "b", pb, &settings), pb).await;
    let client = server_a.client();
    // Cookies do not depend on the port: one login serves both processes.
    server_a.login(&client, "RSSMRA85T10A562S", 2).await;
    let receipts = burst(
        &[server_a.clone(), server_b.clone()],
        &client,
        1000,
        32,
        |_| {},
    )
    .await;
    assert_eq!(receipts.len(), 1000);
    assert_all_filed_once(
        &server_b,
        &client,
        &receipts,
        settings.database.url.as_deref().unwrap(),
    )
    .await;
    drop((a, b));
}
