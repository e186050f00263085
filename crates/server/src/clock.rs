//! The one source of time for the server: handlers, services, the worker and housekeeping
//! read the clock in the application state, never the system clock directly, so that tests
//! move time forward (a draft that expires, a filing whose backoff ends) instead of rewriting
//! timestamps in the database.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// Where the server reads the current time.
pub trait Clock: Send + Sync + Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock: what a real installation runs on.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that runs with the system clock, shifted by an offset that can only grow: tests
/// jump ahead (days, for draft expiry) while everything that waits on real time (leases,
/// backoffs, HTTP timeouts) keeps moving. Cloning shares the offset, so several servers of
/// one test (a restart) see the same time.
#[derive(Debug, Default, Clone)]
pub struct ShiftedClock {
    offset: Arc<Mutex<Duration>>,
}

impl ShiftedClock {
    pub fn new() -> ShiftedClock {
        ShiftedClock::default()
    }

    /// Moves the clock ahead by `by` (a negative `by` is ignored: time does not go back).
    pub fn advance(&self, by: Duration) {
        if by <= Duration::zero() {
            return;
        }
        let mut offset = self
            .offset
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *offset += by;
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        let offset = *self
            .offset
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Utc::now() + offset
    }
}

/// The application's clock as the register's: registrations are dated by the same time the
/// rest of the server reads (the protocol crate knows its own `Clock` trait, not this one).
#[derive(Debug)]
pub struct ForRegister<'a>(pub &'a dyn Clock);

impl istanze_protocol::Clock for ForRegister<'_> {
    fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_moves_ahead_for_every_clone_and_never_back() {
        let clock = ShiftedClock::new();
        let shared = clock.clone();
        let before = Utc::now();
        clock.advance(Duration::days(30));
        assert!(shared.now() >= before + Duration::days(30));
        assert!(shared.now() < before + Duration::days(30) + Duration::minutes(1));
        clock.advance(Duration::days(-60));
        assert!(
            shared.now() >= before + Duration::days(30),
            "time does not go back"
        );
    }

    #[test]
    fn the_register_reads_the_shifted_time() {
        let clock = ShiftedClock::new();
        clock.advance(Duration::days(400));
        let register: &dyn istanze_protocol::Clock = &ForRegister(&clock);
        assert!(register.now() >= Utc::now() + Duration::days(399));
    }
}
