//! The `istanze` binary, run by the tests on a test server's database and files.

use std::path::PathBuf;

use istanze_server::config::Settings;

/// Writes a configuration file with the database, data, forms and administrations of
/// `settings` (so that the command line sees what the test server sees).
pub fn config(settings: &Settings) -> PathBuf {
    let dir = &settings.server.data_dir;
    let mut toml = format!(
        "[server]\ndemo = true\ndata_dir = {:?}\n\n[database]\nurl = {:?}\n\n[forms]\ndir = {:?}\n",
        dir.display().to_string(),
        settings.database.url.clone().unwrap(),
        settings.forms.dir.display().to_string(),
    );
    if let Some(admins) = &settings.administrations.dir {
        toml.push_str(&format!(
            "\n[administrations]\ndir = {:?}\n",
            admins.display().to_string()
        ));
    }
    let path = dir.join("cli.toml");
    std::fs::write(&path, toml).unwrap();
    path
}

/// Runs `istanze <args>`: whether it succeeded, and what it printed (stdout, then stderr).
pub fn run(args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_istanze-test-server"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}
