//! `[cpu]`: the bounded pool that runs CPU-heavy work (signatures, PDF rendering) away from
//! the threads that answer requests.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CpuSettings {
    /// Threads of the pool; 0 means one per core.
    pub threads: usize,
    /// Jobs that may wait for a thread; one more is refused at once (503).
    pub queue: usize,
    /// How long a request waits for its job, queueing included, before it is answered 503.
    pub budget_ms: u64,
}

impl Default for CpuSettings {
    fn default() -> Self {
        CpuSettings {
            threads: 0,
            queue: 64,
            budget_ms: 10_000,
        }
    }
}
