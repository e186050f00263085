//! Load scenario: hostile SAML posts at a steady rate while a citizen uses the service.
//!
//! An attacker with nothing but the public URL posts LogoutRequests to `/spid/slo`, half with
//! a signature of the right shape but no valid value (each costs the server an RSA
//! verification on its CPU pool), half with a Reference to an external URL (refused by the
//! signature profile). Meanwhile a second client measures `GET /healthz` and, logged in, a
//! normal submission. It prints one summary line per figure and writes a JSON report to
//! `target/load/hostile-saml.json`. Not a test: nothing here asserts a time.
//!
//! `cargo run --release -p istanze-tests --bin load-hostile-saml -- [rate/s] [seconds]`
//! (defaults 200 and 20; `ISTANZE_TEST_DATABASE_URL` selects PostgreSQL).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use istanze_tests::{encode, patrocinio, unsigned_logout_request, TestApp};

#[derive(Default)]
struct Samples {
    ms: Vec<f64>,
    statuses: BTreeMap<String, usize>,
}

impl Samples {
    fn add(&mut self, started: Instant, status: String) {
        self.ms.push(started.elapsed().as_secs_f64() * 1000.0);
        *self.statuses.entry(status).or_default() += 1;
    }

    fn summary(&mut self, name: &str) -> serde_json::Value {
        self.ms.sort_by(|a, b| a.total_cmp(b));
        let at = |q: f64| {
            self.ms
                .get(((self.ms.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or(f64::NAN)
        };
        let (p50, p99, max) = (at(0.5), at(0.99), at(1.0));
        println!(
            "{name}: {} requests, p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms, statuses {:?}",
            self.ms.len(),
            self.statuses
        );
        serde_json::json!({
            "requests": self.ms.len(), "p50_ms": p50, "p99_ms": p99, "max_ms": max,
            "statuses": self.statuses,
        })
    }
}

fn status_of(r: Result<reqwest::Response, reqwest::Error>) -> String {
    match r {
        Ok(r) => r.status().as_u16().to_string(),
        Err(e) if e.is_timeout() => "timeout".into(),
        Err(_) => "error".into(),
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rate: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let seconds: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20);
    let app = TestApp::spawn().await;
    let citizen = app.client();
    app.login(&citizen, "RSSMRA85T10A562S", 2).await;

    let shaped = encode(&unsigned_logout_request(&app, "#_lr1"));
    let external = encode(&unsigned_logout_request(&app, "http://10.255.255.1/"));
    let attack = Arc::new(Mutex::new(Samples::default()));
    let health = Arc::new(Mutex::new(Samples::default()));
    let submit = Arc::new(Mutex::new(Samples::default()));
    let end = Instant::now() + Duration::from_secs(seconds);

    // The attacker: one request every 1/rate seconds, each on its own task, so a slow answer
    // does not slow the attack down.
    let attacker = {
        let (app_url, attack) = (app.at("/spid/slo"), attack.clone());
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / rate.max(1)));
            let mut n = 0u64;
            let mut running = Vec::new();
            while Instant::now() < end {
                tick.tick().await;
                n += 1;
                let body = if n % 2 == 0 {
                    shaped.clone()
                } else {
                    external.clone()
                };
                let (client, url, attack) = (client.clone(), app_url.clone(), attack.clone());
                running.push(tokio::spawn(async move {
                    let started = Instant::now();
                    let r = client.post(url).form(&[("SAMLRequest", body)]).send().await;
                    attack.lock().unwrap().add(started, status_of(r));
                }));
            }
            for t in running {
                let _ = t.await;
            }
        })
    };
    let prober = {
        let (url, health, client) = (app.at("/healthz"), health.clone(), app.client());
        tokio::spawn(async move {
            while Instant::now() < end {
                let started = Instant::now();
                let r = client.get(&url).send().await;
                health.lock().unwrap().add(started, status_of(r));
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let citizen_task = {
        let (url, submit) = (
            app.at("/api/v1/forms/patrocinio/submissions"),
            submit.clone(),
        );
        tokio::spawn(async move {
            while Instant::now() < end {
                let started = Instant::now();
                let r = citizen.post(&url).json(&patrocinio()).send().await;
                submit.lock().unwrap().add(started, status_of(r));
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        })
    };
    let (a, b, c) = tokio::join!(attacker, prober, citizen_task);
    a.unwrap();
    b.unwrap();
    c.unwrap();

    println!("hostile SAML posts at {rate}/s for {seconds} s (half signature-shaped, half external reference)");
    let report = serde_json::json!({
        "date": chrono::Utc::now().to_rfc3339(),
        "rate_per_second": rate,
        "seconds": seconds,
        "database": if std::env::var("ISTANZE_TEST_DATABASE_URL").is_ok() { "postgresql" } else { "sqlite" },
        "hostile_slo_posts": attack.lock().unwrap().summary("hostile SLO posts"),
        "healthz": health.lock().unwrap().summary("GET /healthz meanwhile"),
        "submissions": submit.lock().unwrap().summary("submissions meanwhile"),
    });
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/load");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("hostile-saml.json"),
        serde_json::to_string_pretty(&report).unwrap(),
    )
    .unwrap();
}
