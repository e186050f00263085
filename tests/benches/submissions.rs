//! Load benchmark: submissions per second end to end, over HTTP against a real server.
//!
//! - `submit`: one submission, from the POST to the committed answer (what a citizen waits for);
//! - `submit_and_file/50`: 50 concurrent submissions until all 50 carry a protocol number.
//!
//! Run with `cargo bench -p istanze-tests` (SQLite) or with `ISTANZE_TEST_DATABASE_URL` set
//! (PostgreSQL). Results are recorded in the README.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use istanze_tests::{patrocinio, TestApp};
use serde_json::Value;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (app, client) = rt.block_on(async {
        let app = TestApp::spawn().await;
        let client = app.client();
        app.login(&client, "RSSMRA85T10A562S", 2).await;
        (app, client)
    });
    let url = app.at("/api/v1/forms/patrocinio/submissions");

    let mut group = c.benchmark_group("submissions");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(1));
    group.bench_function("submit", |b| {
        b.to_async(&rt).iter(|| async {
            let r = client.post(&url).json(&patrocinio()).send().await.unwrap();
            assert_eq!(r.status(), 201);
        })
    });

    group.throughput(Throughput::Elements(50));
    group.bench_function("submit_and_file/50", |b| {
        b.to_async(&rt).iter_custom(|iters| {
            let client = client.clone();
            let url = url.clone();
            let app = &app;
            async move {
                let start = Instant::now();
                for _ in 0..iters {
                    let tasks: Vec<_> = (0..50)
                        .map(|_| {
                            let (c, u) = (client.clone(), url.clone());
                            tokio::spawn(async move {
                                c.post(u)
                                    .json(&patrocinio())
                                    .send()
                                    .await
                                    .unwrap()
                                    .json::<Value>()
                                    .await
                                    .unwrap()
                            })
                        })
                        .collect();
                    for t in tasks {
                        let created = t.await.unwrap();
                        app.wait_for_protocol(&client, created["id"].as_str().unwrap())
                            .await;
                    }
                }
                start.elapsed()
            }
        })
    });
    group.finish();
    drop(app);
}

criterion_group!(benches, bench);
criterion_main!(benches);
