//! `istanze-protocol`: filing applications into the protocol register (protocollo informatico,
//! DPR 445/2000 art. 50-57).
//!
//! - [`Register`]: the trait every register implements (embedded, REST, PEC, DOCAREA);
//!   filing takes an idempotency key, so that a retry after a crash returns the first receipt
//!   instead of a second number;
//! - [`embedded::EmbeddedRegister`]: the register kept in the platform's own database through
//!   sea-orm: one gapless sequence per AOO, register and year, restarting on 1 January (Italian
//!   time), entries that the database itself refuses to update or delete;
//! - [`rest`]: a generic REST adapter for external protocol systems;
//! - [`pec`]: delivery to the AOO's PEC mailbox, with the AOO's confirmations read back;
//! - [`docarea`]: the DOCAREA SOAP service of many vendors' protocol systems;
//! - [`segnatura`] and [`segnatura_2013`]: the Segnatura XML (AgID 2021, sealed; Circolare 60/2013);
//! - [`migration`]: the register's tables, for the owner of the database's migration history.
//!
//! Time is a parameter: `file(registration, clock)`.

pub mod docarea;
pub mod embedded;
mod error;
pub mod migration;
pub mod pdf;
pub mod pec;
mod registration;
pub mod rest;
pub mod rome;
pub mod segnatura;
pub mod segnatura_2013;

pub use error::{ProtocolError, Result};
pub use registration::{
    CaseFile, Clock, Correspondent, Direction, DocumentRef, Receipt, Register, Registration,
    SystemClock,
};
