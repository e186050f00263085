//! End-to-end tests over HTTP against a real server (one binary, one module per area).

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod administrations;
mod administrations_cli;
mod administrations_hosts;
mod aggregator;
mod annulments;
mod api;
mod attachments;
mod audit;
mod branding;
mod bulk;
mod cases;
mod cli;
mod communications;
mod constructs;
mod crash;
mod credentials;
mod desk;
mod docarea;
mod documents;
mod drafts;
mod durability;
mod english;
mod exports;
mod faults;
mod file_modes;
mod form_versions;
mod hardening;
mod idps;
mod illegal_text;
mod jobs;
mod office_api;
mod office_filings;
mod openapi;

mod login;
mod logout;
mod notifications;
mod office;
mod pages;
mod pec;
mod principals;
mod register;
mod staff;
mod steps;
mod stores;
mod submissions;
mod test_idps;
mod upload_limits;
mod xml_attacks;
