//! The `istanze` binary.

fn main() -> std::process::ExitCode {
    istanze_server::cli::main()
}
