//! End-to-end tests over HTTP against a real server (one binary, one module per area).

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod attachments;
mod constructs;
mod crash;
mod docarea;
mod documents;
mod drafts;
mod durability;
mod english;
mod faults;
mod idps;
mod login;
mod logout;
mod notifications;
mod pages;
mod pec;
mod register;
mod steps;
mod submissions;
