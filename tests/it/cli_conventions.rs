//! The conventions of Unix tools and of the AWS CLI, through the real
//! binary: completions, the manual page, grouped help, `--color`,
//! `--output`, and letting the SDK decide endpoints and retries.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::support::moto::{Moto, isolated, rdsight, scratch_path};
use crate::support::seed::{US, seed};

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

fn demo(args: &[&str]) -> Output {
    rdsight(args, &[])
}

#[test]
fn completions_for_every_shell_name_the_commands_and_flags() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = demo(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        // fish spells long options `-l fail-on`.
        for word in ["scan", "fail-on", "endpoint-url", "color"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    assert_eq!(demo(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn the_manual_page_is_roff_with_every_command() {
    let out = demo(&["man"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "{}",
        &page[..80]
    );
    assert!(page.contains(".TH rdsight 1"), "{page}");
    for word in ["scan", "plan", "undo", "Exit status"] {
        assert!(page.contains(word), "the page lacks {word}");
    }
    let dir = scratch_path("man");
    let out = demo(&["man", "--out-dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for page in ["rdsight.1", "rdsight-scan.1", "rdsight-plan.1"] {
        assert!(dir.join(page).is_file(), "{page} not written");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_groups_flags_and_lists_severities_exit_codes_and_files() {
    let help = text(&demo(&["--help"]).stdout);
    for heading in ["Source:", "Output:", "Rules:", "Remediation:"] {
        assert!(help.contains(heading), "no {heading} in:\n{help}");
    }
    for word in [
        "Exit status:",
        "3  scan found",
        "critical, high, medium, low",
    ] {
        assert!(help.contains(word), "no {word:?} in:\n{help}");
    }
    // The real paths, XDG-shaped (the test's HOME is a scratch dir).
    assert!(help.contains("config.toml"), "{help}");
    assert!(help.contains("audit.jsonl"), "{help}");
    let scan = text(&demo(&["scan", "--help"]).stdout);
    assert!(
        scan.contains("[possible values: low, medium, high, critical]"),
        "{scan}"
    );
    assert!(scan.contains("Exit status:"), "{scan}");
    assert!(scan.contains("--output <FILE>"), "{scan}");
}

#[test]
fn color_is_chosen_by_the_flag_over_no_color_and_pipes() {
    let always = demo(&["scan", "--demo", "--color", "always"]);
    assert!(
        text(&always.stdout).contains("\u{1b}["),
        "no colour with --color always"
    );
    let never = demo(&["scan", "--demo", "--color", "never"]);
    assert!(!text(&never.stdout).contains('\u{1b}'));
    // auto, piped: plain.
    assert!(!text(&demo(&["scan", "--demo"]).stdout).contains('\u{1b}'));
    assert_eq!(
        demo(&["scan", "--demo", "--color", "rainbow"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn output_files_are_written_whole_for_scan_plan_and_export() {
    let dir = scratch_path("output");
    std::fs::create_dir_all(&dir).unwrap();
    let file = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let report = file("report.json");
    let out = demo(&["scan", "--demo", "--format", "json", "--output", &report]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        out.stdout.is_empty(),
        "the report went to the file, not stdout"
    );
    let json: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert!(json["findings"].as_array().is_some_and(|f| !f.is_empty()));
    // A table written to a file is never coloured nor cut to a width.
    let table = file("report.txt");
    demo(&["scan", "--demo", "-o", &table]);
    assert!(!std::fs::read_to_string(&table).unwrap().contains('\u{1b}'));

    let plan = file("plan.sh");
    let out = demo(&[
        "plan",
        "--demo",
        "--rule",
        "snapshot-public",
        "--output",
        &plan,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(&plan).unwrap().starts_with("#!"));
    let fleet = file("fleet.json");
    demo(&["export-fleet", "--demo", "--output", &fleet]);
    assert!(
        std::fs::read_to_string(&fleet)
            .unwrap()
            .contains("\"clusters\"")
    );
    // Nothing half-written is left beside them.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    // A directory that does not exist is one line, exit 1.
    let out = demo(&["scan", "--demo", "-o", "/no/such/dir/report.json"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot write the report to /no/such/dir/report.json"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_service_endpoint_outranks_the_global_one_as_in_the_aws_cli() {
    // RDS is seeded on one moto; AWS_ENDPOINT_URL points at another, empty.
    let global = Moto::start();
    let rds_only = Moto::start();
    seed(&rds_only, US).await;
    let env = [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_ENDPOINT_URL", global.url.as_str()),
        ("AWS_ENDPOINT_URL_RDS", rds_only.url.as_str()),
    ];
    let args = [
        "scan",
        "--format",
        "json",
        "--region",
        US,
        "--allow-incomplete",
        "--activity-days",
        "0",
    ];
    let out = rdsight(&args, &env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["resource_id"].as_str())
        .collect();
    assert!(
        ids.contains(&"orders-db"),
        "RDS calls went to AWS_ENDPOINT_URL_RDS: {ids:?}"
    );
    // EC2 went to the global endpoint, which has none of the groups.
    assert!(
        report["summary"]["unknown"].as_u64().unwrap() > 0,
        "{report}"
    );

    // The header names both endpoints actually used.
    let svg = scratch_path("endpoints.svg");
    let svg_arg = svg.to_str().unwrap().to_string();
    let out = rdsight(
        &[
            "screenshot",
            "--region",
            US,
            "--activity-days",
            "0",
            "--out",
            &svg_arg,
            "--size",
            "220x30",
        ],
        &env,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let drawn = std::fs::read_to_string(&svg).unwrap();
    assert!(drawn.contains(&format!("@ {}", rds_only.url)), "{drawn}");
    assert!(
        drawn.contains(&format!("(ec2 @ {})", global.url)),
        "{drawn}"
    );
    let _ = std::fs::remove_file(&svg);
}

/// A server that knows who you are (STS) and answers every other call
/// with 503, counting the attempts per action.
struct Unavailable {
    url: String,
    attempts: Arc<Mutex<Vec<String>>>,
}

fn unavailable() -> Unavailable {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let attempts = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&attempts);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let Some(action) = read_action(&conn) else {
                continue;
            };
            let (status, body) = if action == "GetCallerIdentity" {
                ("200 OK", IDENTITY.to_string())
            } else {
                seen.lock().unwrap().push(action);
                ("503 Service Unavailable", UNAVAILABLE.to_string())
            };
            let _ = write!(
                conn,
                "HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Unavailable { url, attempts }
}

const IDENTITY: &str = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/test</Arn><UserId>AIDATEST</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
const UNAVAILABLE: &str = "<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>try again</Message></Error><RequestId>r-2</RequestId></ErrorResponse>";

fn read_action(conn: &std::net::TcpStream) -> Option<String> {
    let mut reader = BufReader::new(conn.try_clone().ok()?);
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let body = String::from_utf8_lossy(&body).into_owned();
    body.split('&')
        .find_map(|pair| pair.strip_prefix("Action="))
        .map(str::to_string)
}

/// Attempts of DescribeDBInstances when `rdsight scan` meets a server that
/// is always unavailable, with `env` (and a shared config file `config`).
fn attempts_with(env: &[(&str, &str)], config: &str) -> usize {
    let server = unavailable();
    let home = scratch_path("retry-home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("aws-config"), config).unwrap();
    let out = isolated(Path::new(env!("CARGO_BIN_EXE_rdsight")), &home)
        .args(["scan", "--region", US, "--endpoint-url", &server.url])
        .args(["--activity-days", "0"])
        .envs([
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ])
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&home);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let attempts = server.attempts.lock().unwrap();
    attempts
        .iter()
        .filter(|a| *a == "DescribeDBInstances")
        .count()
}

static SERIAL: AtomicUsize = AtomicUsize::new(0);

#[test]
fn aws_max_attempts_and_the_profile_decide_retries_when_set() {
    SERIAL.fetch_add(1, Ordering::SeqCst);
    assert_eq!(attempts_with(&[("AWS_MAX_ATTEMPTS", "1")], ""), 1);
    assert_eq!(attempts_with(&[("AWS_MAX_ATTEMPTS", "2")], ""), 2);
    let profile = "[default]\nmax_attempts = 2\n";
    assert_eq!(attempts_with(&[], profile), 2);
}
