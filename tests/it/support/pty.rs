//! Drive the real `rdsight` binary in a pseudo-terminal and read its screen
//! through a `vt100` emulator.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::moto::CALLER_AWS_VARS;
use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use rdsight::tui::app::CONFIRM_GUARD;

/// How long `wait_for` waits by default.
pub const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);
/// crossterm tells a lone Esc from the start of an escape sequence by time.
const ESC_PAUSE: Duration = Duration::from_millis(100);

/// The cursor-position query crossterm may send, and the answer we give.
const CURSOR_QUERY: &[u8] = b"\x1b[6n";
const CURSOR_ANSWER: &[u8] = b"\x1b[1;1R";

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking test thread must not hide the screen from the others.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn nonzero(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap()
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

/// A running `rdsight` in a pty. The child is killed when this is dropped.
pub struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    eof: Arc<AtomicBool>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    status: Option<ExitStatus>,
    reader: Option<JoinHandle<()>>,
    /// Private directory: HOME, config, state and the audit log live here.
    dir: PathBuf,
    audit_log: PathBuf,
    /// `stty -a` of the pty before rdsight started in it.
    initial_modes: String,
}

/// `stty -a` of the terminal at `tty`: the modes a program leaves behind.
fn stty(tty: Option<&std::path::Path>) -> String {
    let Some(tty) = tty else {
        return String::new();
    };
    let out = std::process::Command::new("stty")
        .arg("-a")
        .stdin(std::fs::File::open(tty).unwrap())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).to_string()
}

impl Tui {
    /// `rdsight --demo` at 120×36.
    pub fn demo() -> Self {
        Self::spawn(&["--demo"], 120, 36)
    }

    pub fn spawn(args: &[&str], cols: u16, rows: u16) -> Self {
        Self::spawn_with_env(args, &[], cols, rows)
    }

    /// As `spawn`, with extra environment (dummy AWS credentials).
    pub fn spawn_with_env(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Self {
        let n = SESSIONS.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("rdsight-pty-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let audit_log = dir.join("audit.jsonl");

        let pair = native_pty_system().openpty(size(cols, rows)).unwrap();
        let initial_modes = stty(pair.master.tty_name().as_deref());
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_rdsight"));
        cmd.args(args);
        cmd.cwd(&dir);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", &dir);
        cmd.env("XDG_CONFIG_HOME", dir.join("config"));
        cmd.env("XDG_STATE_HOME", dir.join("state"));
        cmd.env("XDG_DATA_HOME", dir.join("data"));
        cmd.env("RDSIGHT_AUDIT_LOG", &audit_log);
        // Nothing from the caller's AWS setup: only what `env` says.
        cmd.env("AWS_CONFIG_FILE", dir.join("aws-config"));
        cmd.env("AWS_SHARED_CREDENTIALS_FILE", dir.join("aws-credentials"));
        cmd.env("AWS_EC2_METADATA_DISABLED", "true");
        let display = ["NO_COLOR", "RDSIGHT_LOG", "RUST_LOG", "COLORTERM"];
        for var in display.into_iter().chain(CALLER_AWS_VARS) {
            cmd.env_remove(var);
        }
        for (name, value) in env {
            cmd.env(name, value);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        // Only the child holds the slave now, so the reader sees EOF when it exits.
        drop(pair.slave);

        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            nonzero(rows),
            nonzero(cols),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let eof = Arc::new(AtomicBool::new(false));
        let writer = Arc::new(Mutex::new(pair.master.take_writer().unwrap()));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let reader = {
            let (parser, raw, eof, writer) = (
                Arc::clone(&parser),
                Arc::clone(&raw),
                Arc::clone(&eof),
                Arc::clone(&writer),
            );
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                // Bytes already scanned for the cursor query, so one split
                // across two reads is still seen, and none is answered twice.
                let mut scanned: usize = 0;
                loop {
                    let n = match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    lock(&parser).process(&buf[..n]);
                    let mut raw = lock(&raw);
                    raw.extend_from_slice(&buf[..n]);
                    let start = scanned.saturating_sub(CURSOR_QUERY.len() - 1);
                    let queries = raw[start..]
                        .windows(CURSOR_QUERY.len())
                        .filter(|w| *w == CURSOR_QUERY)
                        .count();
                    scanned = raw.len();
                    drop(raw);
                    for _ in 0..queries {
                        let mut w = lock(&writer);
                        let _ = w.write_all(CURSOR_ANSWER);
                        let _ = w.flush();
                    }
                }
                eof.store(true, Ordering::SeqCst);
            })
        };

        Self {
            parser,
            raw,
            eof,
            writer,
            master: pair.master,
            child,
            status: None,
            reader: Some(reader),
            dir,
            audit_log,
            initial_modes,
        }
    }

    /// The pty's `stty -a` before rdsight started, and now.
    pub fn modes(&self) -> (String, String) {
        let now = stty(self.master.tty_name().as_deref());
        (self.initial_modes.clone(), now)
    }

    /// Send the child `signal` (`TERM`, `HUP`, `INT`) as `kill` would.
    pub fn signal(&self, signal: &str) {
        let pid = self.child.process_id().unwrap();
        let status = std::process::Command::new("kill")
            .args([format!("-{signal}"), pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -{signal} {pid}: {status}");
    }

    /// The audit log's lines; none when the file does not exist.
    /// Every audit line the session wrote: the real log's, then the demo's
    /// (the demo audits beside the real log, never in it).
    pub fn audit_lines(&self) -> Vec<String> {
        let mut lines = self.real_audit_lines();
        lines.extend(read_lines(&self.audit_log.with_extension("demo.jsonl")));
        lines
    }

    /// The lines of the real audit log only (`RDSIGHT_AUDIT_LOG`).
    pub fn real_audit_lines(&self) -> Vec<String> {
        read_lines(&self.audit_log)
    }

    /// Type raw bytes: Enter is "\r", Esc is "\x1b".
    pub fn send(&self, keys: &str) {
        let mut w = lock(&self.writer);
        w.write_all(keys.as_bytes()).unwrap();
        w.flush().unwrap();
        drop(w);
        if keys.ends_with('\x1b') {
            std::thread::sleep(ESC_PAUSE);
        }
    }

    /// Type text one key at a time, as a person would.
    pub fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.send(c.encode_utf8(&mut [0; 4]));
        }
    }

    /// Paste `text` as a terminal with bracketed paste does: between
    /// `ESC [200~` and `ESC [201~`, in one write.
    pub fn paste(&self, text: &str) {
        self.send(&format!("\x1b[200~{text}\x1b[201~"));
    }

    /// Take the time a person takes to read a dialog that has just been
    /// drawn: past the guard that drops keys typed ahead of it.
    pub fn read_the_dialog(&self) {
        std::thread::sleep(CONFIRM_GUARD * 2);
    }

    pub fn screen(&self) -> String {
        lock(&self.parser).screen().contents()
    }

    /// Every byte the child has written so far.
    pub fn raw_output(&self) -> Vec<u8> {
        lock(&self.raw).clone()
    }

    /// Poll the screen until `pred` holds; panic with the screen on timeout.
    #[track_caller]
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait_for_within(what, TIMEOUT, pred)
    }

    #[track_caller]
    pub fn wait_for_within(
        &self,
        what: &str,
        timeout: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            if Instant::now() >= deadline {
                panic!(
                    "timed out after {timeout:?} waiting for {what}; last screen:\n{}",
                    framed(&screen)
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Resize the pty (the child gets SIGWINCH) and the emulator with it.
    pub fn resize(&self, cols: u16, rows: u16) {
        lock(&self.parser).set_size(nonzero(rows), nonzero(cols));
        self.master.resize(size(cols, rows)).unwrap();
    }

    /// Wait for the child to exit; panic with the screen when it does not.
    #[track_caller]
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.status = Some(status.clone());
                return status;
            }
            if Instant::now() >= deadline {
                panic!(
                    "rdsight did not exit within {timeout:?}; last screen:\n{}",
                    framed(&self.screen())
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Wait until the reader has seen the end of the child's output.
    pub fn wait_output_end(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.eof.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::sleep(POLL);
        }
        if self.eof.load(Ordering::SeqCst)
            && let Some(reader) = self.reader.take()
        {
            let _ = reader.join();
        }
    }
}

impl Tui {
    /// Whether the child has exited (and been reaped) within `timeout`.
    fn reaped_within(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if self.status.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            // SIGHUP first, as closing a terminal window would.
            let _ = self.child.kill();
            if !self.reaped_within(Duration::from_secs(2))
                && let Some(pid) = self.child.process_id()
            {
                let _ = std::process::Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
                self.reaped_within(Duration::from_secs(2));
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The screen with a frame and row numbers, for failure messages.
pub fn framed(screen: &str) -> String {
    let mut out = String::from("    +\n");
    for (i, line) in screen.lines().enumerate() {
        out.push_str(&format!("{i:>3} |{line}\n"));
    }
    out.push_str("    +");
    out
}

/// Whether `needle` occurs in `haystack`, as bytes.
pub fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Position of the last occurrence of `needle`.
pub fn rfind_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn read_lines(path: &std::path::Path) -> Vec<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => text.lines().map(str::to_string).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}
