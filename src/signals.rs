//! SIGINT, SIGTERM and SIGHUP as a stream, so a command that sends calls
//! can treat them as a deliberate quit: let the call in flight return and
//! reach the audit log, instead of dying with a `started` line and no end.
//!
//! Installing replaces the default action (exit at once) for the rest of
//! the process, so commands install it only while they have something to
//! finish.

use std::fmt;

/// One of the signals that ask rdsight to quit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quit {
    Interrupt,
    Terminate,
    HangUp,
}

impl Quit {
    /// The exit status a shell expects after this signal (128 + number).
    pub fn exit_code(self) -> u8 {
        match self {
            Quit::Interrupt => 130,
            Quit::Terminate => 143,
            Quit::HangUp => 129,
        }
    }
}

impl fmt::Display for Quit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Quit::Interrupt => "SIGINT",
            Quit::Terminate => "SIGTERM",
            Quit::HangUp => "SIGHUP",
        })
    }
}

#[cfg(unix)]
pub struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
    hang_up: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    pub fn install() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
            hang_up: signal(SignalKind::hangup())?,
        })
    }

    /// The next quit signal.
    pub async fn next(&mut self) -> Quit {
        tokio::select! {
            _ = self.interrupt.recv() => Quit::Interrupt,
            _ = self.terminate.recv() => Quit::Terminate,
            _ = self.hang_up.recv() => Quit::HangUp,
        }
    }
}

#[cfg(not(unix))]
pub struct Signals;

#[cfg(not(unix))]
impl Signals {
    pub fn install() -> std::io::Result<Self> {
        Ok(Self)
    }

    /// Ctrl-C, the one quit signal there is.
    pub async fn next(&mut self) -> Quit {
        match tokio::signal::ctrl_c().await {
            Ok(()) => Quit::Interrupt,
            Err(_) => std::future::pending().await,
        }
    }
}
