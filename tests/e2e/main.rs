//! End-to-end tests over HTTP against a real server (one binary, one module per area).

mod api;
mod durability;
mod login;
mod pages;
mod submissions;
