//! The CPU pool: signature verification and creation, PDF rendering and other work that
//! takes milliseconds of CPU run here, never on the threads that answer requests.
//!
//! The pool is bounded twice: a fixed number of threads, and a fixed queue in front of them.
//! A job that finds the queue full, or that waits past its time budget, is answered with
//! [`CpuError::Overloaded`] (a 503 page, [`ServerError::Overloaded`]) at once, so that a flood of hostile messages costs
//! its senders their own slots only while `/healthz`, pages and submissions keep being served.
//! A job whose requester has given up is skipped when its turn comes.

use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;

use crate::config::CpuSettings;
use crate::error::ServerError;

type Job = Box<dyn FnOnce() + Send>;

/// A bounded pool of threads for CPU-heavy work.
#[derive(Clone)]
pub struct CpuPool {
    sender: SyncSender<Job>,
    budget: Duration,
}

impl std::fmt::Debug for CpuPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CpuPool")
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

impl CpuPool {
    /// Starts the pool's threads.
    pub fn start(settings: &CpuSettings) -> Result<CpuPool, ServerError> {
        let threads = match settings.threads {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        };
        let (sender, receiver) = sync_channel::<Job>(settings.queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..threads {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("istanze-cpu-{i}"))
                .spawn(move || loop {
                    // The lock is held only to take one job, not while running it.
                    let job = match receiver.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    match job {
                        // A panic in a job (a C library or a renderer meeting hostile input)
                        // ends that job, not the thread: otherwise each such request would
                        // take one worker away until the pool stopped. The requester sees
                        // its channel dropped.
                        Ok(job) => {
                            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err()
                            {
                                tracing::error!("a CPU job panicked");
                            }
                        }
                        Err(_) => return,
                    }
                })
                .map_err(|e| ServerError::Internal(format!("cpu pool: {e}")))?;
        }
        Ok(CpuPool {
            sender,
            budget: Duration::from_millis(settings.budget_ms),
        })
    }

    /// Runs `work` on the pool and waits for its result within the time budget.
    pub async fn run<T, F>(&self, work: F) -> Result<T, CpuError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move || {
            if tx.is_closed() {
                return;
            }
            let _ = tx.send(work());
        });
        match self.sender.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(CpuError::Overloaded),
            Err(TrySendError::Disconnected(_)) => return Err(CpuError::Stopped),
        }
        match tokio::time::timeout(self.budget, rx).await {
            Ok(Ok(value)) => Ok(value),
            // The job panicked (its sender was dropped without a value).
            Ok(Err(_)) => Err(CpuError::Failed),
            Err(_) => Err(CpuError::Overloaded),
        }
    }
}

/// Why work sent to the pool gave no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CpuError {
    /// The queue is full, or the work waited past its budget: the server is overloaded (or
    /// flooded) and this request is refused so that others are served.
    #[error("cpu pool overloaded")]
    Overloaded,
    #[error("cpu pool stopped")]
    Stopped,
    /// The work panicked.
    #[error("cpu job failed")]
    Failed,
}

impl From<CpuError> for ServerError {
    fn from(e: CpuError) -> ServerError {
        match e {
            CpuError::Overloaded => ServerError::Overloaded,
            CpuError::Stopped | CpuError::Failed => ServerError::Internal(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;

    use super::*;

    fn pool(threads: usize, queue: usize, budget_ms: u64) -> CpuPool {
        CpuPool::start(&CpuSettings {
            threads,
            queue,
            budget_ms,
        })
        .unwrap()
    }

    #[tokio::test]
    async fn a_job_runs_and_returns_its_value() {
        assert_eq!(pool(1, 1, 1000).run(|| 6 * 7).await.unwrap(), 42);
    }

    #[tokio::test]
    async fn a_panicking_job_fails_alone_and_the_thread_keeps_serving() {
        let p = pool(1, 4, 10_000);
        for _ in 0..3 {
            let failed = p.run(|| -> u8 { panic!("hostile input") }).await;
            assert_eq!(failed, Err(CpuError::Failed));
        }
        // The pool's only thread survived the three panics.
        assert_eq!(p.run(|| 6 * 7).await.unwrap(), 42);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_is_refused_at_once() {
        // A budget far longer than the test's patience: a refusal within that patience comes
        // from the full queue, not from the budget.
        let p = pool(1, 1, 60_000);
        let (release, blocked) = mpsc::channel::<()>();
        let (started_tx, started) = mpsc::channel::<()>();
        let running = tokio::spawn({
            let p = p.clone();
            async move {
                p.run(move || {
                    started_tx.send(()).unwrap();
                    blocked.recv().unwrap();
                })
                .await
            }
        });
        started.recv_timeout(Duration::from_secs(10)).unwrap();
        let mut refused = false;
        // The first attempt takes the one queue slot and waits there (its requester gives up
        // after 5 s, and it is skipped later); the next one finds the queue full.
        for _ in 0..3 {
            match tokio::time::timeout(Duration::from_secs(5), p.run(|| 2)).await {
                Ok(Err(CpuError::Overloaded)) => {
                    refused = true;
                    break;
                }
                Err(_) => continue,
                Ok(other) => panic!("{other:?}"),
            }
        }
        assert!(refused, "the full queue never refused a job");
        release.send(()).unwrap();
        running.await.unwrap().unwrap();
        // The abandoned job still holds the queue's slot until the thread takes it (and skips
        // it), so the pool may refuse for a moment after the release; within 5 s it serves.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            match p.run(|| 1).await {
                Ok(v) => {
                    assert_eq!(v, 1);
                    break;
                }
                Err(CpuError::Overloaded) if std::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                Err(e) => panic!("the pool did not serve again within 5 s: {e:?}"),
            }
        }
    }

    #[tokio::test]
    async fn a_job_over_budget_is_answered_overloaded_and_a_skipped_one_never_runs() {
        let p = pool(1, 4, 50);
        let (release, blocked) = mpsc::channel::<()>();
        let slow = p.run(move || {
            blocked.recv_timeout(Duration::from_secs(10)).unwrap();
        });
        assert!(matches!(slow.await, Err(CpuError::Overloaded)));
        // Queued behind the blocked job, this one's requester gives up too.
        let ran = Arc::new(AtomicUsize::new(0));
        let counted = ran.clone();
        let skipped = p
            .run(move || {
                counted.fetch_add(1, Ordering::SeqCst);
            })
            .await;
        assert!(matches!(skipped, Err(CpuError::Overloaded)));
        release.send(()).unwrap();
        // The pool is free again: a new job runs, and the abandoned one did not.
        let p = CpuPool {
            budget: Duration::from_secs(10),
            ..p
        };
        assert_eq!(p.run(|| 3).await.unwrap(), 3);
        assert_eq!(ran.load(Ordering::SeqCst), 0);
    }
}
