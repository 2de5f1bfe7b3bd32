//! Entry point: parse arguments, run, turn errors into one line and an exit status.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = rdsight::cli::Cli::parse_args();
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
    let result = runtime.block_on(rdsight::commands::run(cli));
    // Work still running when the command is done (a fleet file still
    // being parsed when the dashboard quits) must not hold the exit.
    runtime.shutdown_background();
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // Error text carries ids and messages from AWS or a file.
            eprintln!("rdsight: {}", rdsight::text::sanitize(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}
