//! The `istanze` binary, built inside the test package so that tests can start it as a
//! process (`CARGO_BIN_EXE_istanze-test-server`) and kill it.

fn main() -> std::process::ExitCode {
    istanze_server::cli::main()
}
