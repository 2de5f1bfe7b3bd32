//! Credentials and private files: `--profile` means that profile's keys
//! even with environment keys set; the debug log is owner-only and never
//! holds an access key id.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use crate::support::moto::{Moto, isolated, scratch_path};

const PROFILE_KEY: &str = "AKIAPROFILEKEY000001";
const ENV_KEY: &str = "AKIAENVKEY0000000001";

/// A one-shot endpoint that records the first request's Authorization
/// header and refuses it, so rdsight stops right there.
fn recording_endpoint() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut authorization = String::new();
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
            if line.to_ascii_lowercase().starts_with("authorization:") {
                authorization = line.trim().to_string();
            }
            line.clear();
        }
        let _ = tx.send(authorization);
        let body = "<ErrorResponse><Error><Code>AccessDenied</Code><Message>recorded</Message></Error></ErrorResponse>";
        let mut stream = stream;
        let _ = write!(
            stream,
            "HTTP/1.1 403 Forbidden\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    });
    (url, rx)
}

fn home_with_profile(name: &str) -> std::path::PathBuf {
    let home = scratch_path(name);
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(
        home.join("aws-credentials"),
        format!(
            "[dev]\naws_access_key_id = {PROFILE_KEY}\naws_secret_access_key = profile-secret\n"
        ),
    )
    .unwrap();
    home
}

fn scan(home: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let program = Path::new(env!("CARGO_BIN_EXE_rdsight"));
    let mut command = isolated(program, home);
    command
        .args(["scan", "--region", "us-east-1", "--activity-days", "0"])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", ENV_KEY)
        .env("AWS_SECRET_ACCESS_KEY", "environment-secret")
        .envs(env.iter().copied());
    command.output().unwrap()
}

#[test]
fn a_named_profile_signs_with_its_own_keys_not_the_environments() {
    let home = home_with_profile("profile-wins");
    let (url, seen) = recording_endpoint();
    let out = scan(&home, &["--profile", "dev", "--endpoint-url", &url], &[]);
    let authorization = seen.recv_timeout(Duration::from_secs(20)).unwrap();
    assert!(
        authorization.contains(&format!("Credential={PROFILE_KEY}/")),
        "{authorization}"
    );
    assert!(!authorization.contains(ENV_KEY), "{authorization}");
    assert!(!out.status.success());
    let _ = std::fs::remove_dir_all(&home);
}

/// `credential_process` is an aws-config feature rdsight keeps compiled
/// in (its default features are off): a profile that uses it signs with
/// the process's keys.
#[test]
fn a_credential_process_profile_signs_with_the_processs_keys() {
    const PROCESS_KEY: &str = "AKIAPROCESSKEY000001";
    let home = scratch_path("credential-process");
    std::fs::create_dir_all(&home).unwrap();
    let script = home.join("credentials.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"{PROCESS_KEY}\", \"SecretAccessKey\": \"process-secret\"}}'\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::write(
        home.join("aws-config"),
        format!(
            "[profile proc]\ncredential_process = {}\n",
            script.display()
        ),
    )
    .unwrap();
    let (url, seen) = recording_endpoint();
    let out = scan(&home, &["--profile", "proc", "--endpoint-url", &url], &[]);
    let authorization = seen
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("nothing was sent: {}", String::from_utf8_lossy(&out.stderr)));
    assert!(
        authorization.contains(&format!("Credential={PROCESS_KEY}/")),
        "{authorization}"
    );
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn an_unknown_profile_is_one_clear_line_and_nothing_is_sent() {
    let home = home_with_profile("profile-missing");
    let (url, seen) = recording_endpoint();
    let out = scan(&home, &["--profile", "nosuch", "--endpoint-url", &url], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("profile nosuch"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        seen.recv_timeout(Duration::from_millis(300)).is_err(),
        "no request may go out with the environment's keys"
    );
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn the_trace_log_is_owner_only_and_masks_access_key_ids() {
    let moto = Moto::start();
    let home = scratch_path("trace-log");
    std::fs::create_dir_all(&home).unwrap();
    let out = scan(
        &home,
        &["--endpoint-url", &moto.url],
        &[("RDSIGHT_LOG", "trace")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = home.join(".state").join("rdsight");
    let log = std::fs::read_to_string(dir.join("rdsight.log")).unwrap();
    assert!(
        log.len() > 1000,
        "a trace log was written: {} bytes",
        log.len()
    );
    assert!(!log.contains(ENV_KEY), "the access key id is masked");
    assert!(!log.contains("environment-secret"));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("rdsight.log")), 0o600);
    let _ = std::fs::remove_dir_all(&home);
}
