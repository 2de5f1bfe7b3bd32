//! Entry point: parse arguments, run, turn errors into one line and an exit status.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = rdsight::cli::Cli::parse();
    // Installed first so the TUI's terminal-restoring hook can chain to it.
    let _ = color_eyre::install();
    rdsight::logging::init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("rdsight: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(rdsight::commands::run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // Error text carries ids and messages from AWS or a file.
            eprintln!("rdsight: {}", rdsight::text::sanitize(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}
