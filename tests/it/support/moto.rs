//! A real moto server for the AWS integration tests, one per test, on a
//! free loopback port, killed when dropped.
//!
//! moto is found through `RDSIGHT_MOTO_SERVER` (set by `scripts/test`, which
//! installs it), then in the venv `scripts/test` creates, then as
//! `moto_server` on PATH. Without it the tests fail: they never skip.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, ConfigLoader, SdkConfig};
use aws_sdk_rds::config::{Credentials, Region};

/// moto's fixed account id.
pub const MOTO_ACCOUNT: &str = "123456789012";

/// How long moto may take to answer after it is started.
const STARTUP: Duration = Duration::from_secs(20);

pub struct Moto {
    child: Child,
    pub url: String,
    log: PathBuf,
}

impl Moto {
    pub fn start() -> Moto {
        Self::start_with("http", &[])
    }

    /// moto over HTTPS with the certificate `cert` (PEM) and its `key`.
    pub fn start_tls(cert: &Path, key: &Path) -> Moto {
        let (cert, key) = (cert.to_string_lossy(), key.to_string_lossy());
        Self::start_with("https", &["--ssl-cert", &cert, "--ssl-key", &key])
    }

    fn start_with(scheme: &str, extra: &[&str]) -> Moto {
        let server = moto_server();
        let port = free_port();
        let log = scratch_path("moto.log");
        let log_file = std::fs::File::create(&log).unwrap();
        let child = Command::new(&server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .args(extra)
            // Tests take many snapshots; moto's default quota is AWS's 100.
            .env("MOTO_RDS_SNAPSHOT_LIMIT", "100000")
            // Loading the default AMI catalogue costs seconds and is unused.
            .env("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().unwrap())
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", server.display()));
        let mut moto = Moto {
            child,
            url: format!("{scheme}://127.0.0.1:{port}"),
            log,
        };
        moto.wait_until_answering(port);
        moto
    }

    fn wait_until_answering(&mut self, port: u16) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "moto exited with {status} before answering:\n{}",
                    self.log_text()
                );
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            if started.elapsed() > STARTUP {
                panic!(
                    "moto did not answer on port {port} within {}s:\n{}",
                    STARTUP.as_secs(),
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// An SDK config aimed at this server in `region`, with static test
    /// credentials: nothing reaches a real endpoint or the metadata service.
    pub async fn sdk_config(&self, region: &str) -> SdkConfig {
        with_test_credentials(aws_config::defaults(BehaviorVersion::latest()))
            // rdsight's own HTTPS client: the SDK's default one is not compiled in.
            .http_client(rdsight::source::aws::http::client().expect("HTTP client"))
            .region(Region::new(region.to_string()))
            .endpoint_url(&self.url)
            .load()
            .await
    }

    pub async fn rds(&self, region: &str) -> aws_sdk_rds::Client {
        aws_sdk_rds::Client::new(&self.sdk_config(region).await)
    }

    pub async fn ec2(&self, region: &str) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.sdk_config(region).await)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// The credentials every test uses (what moto's docs call "testing").
pub fn with_test_credentials(loader: ConfigLoader) -> ConfigLoader {
    loader.credentials_provider(Credentials::new(
        "testing",
        "testing",
        None,
        None,
        "rdsight-tests",
    ))
}

/// A loopback port nothing listens on (for "cannot reach" tests too).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    listener.local_addr().unwrap().port()
}

/// A fresh path under the temp dir, unique per process and call.
pub fn scratch_path(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "rdsight-aws-moto-{}-{n}-{name}",
        std::process::id()
    ))
}

fn moto_server() -> PathBuf {
    installed("RDSIGHT_MOTO_SERVER", "moto_server")
}

/// A tool `scripts/test` installs into its venv: named by `env_var`, else
/// the venv's (the version scripts/test pins), else on PATH. Missing, the
/// tests fail: they never skip.
fn installed(env_var: &str, name: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(env_var) {
        let path = PathBuf::from(path);
        assert!(
            is_executable(&path),
            "{env_var}={} is not an executable {name} — run scripts/test, which installs it",
            path.display()
        );
        return path;
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|dir| dir.join(name));
    let in_venv = std::env::var_os("HOME").map(|home| {
        PathBuf::from(home)
            .join(".cache/rdsight/moto-venv/bin")
            .join(name)
    });
    in_venv
        .into_iter()
        .chain(on_path)
        .find(|p| is_executable(p))
        .unwrap_or_else(|| panic!("{name} is not installed — run scripts/test, which installs it"))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The real binary, with only the AWS settings given here: no user
/// config, no stray profile or endpoint.
pub fn rdsight(args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = scratch_path("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut command = isolated(Path::new(env!("CARGO_BIN_EXE_rdsight")), &home);
    command.args(args).envs(env.iter().copied());
    let out = command.output().unwrap();
    let _ = std::fs::remove_dir_all(&home);
    out
}

/// The caller's AWS settings that could send a child to a real account
/// or region; tests run children without them.
pub const CALLER_AWS_VARS: [&str; 8] = [
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

/// `program` with HOME at `home` and no AWS settings from the caller's
/// environment: nothing it runs can reach a real account by accident.
pub fn isolated(program: &Path, home: &Path) -> Command {
    let mut command = Command::new(program);
    command
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_STATE_HOME", home.join(".state"))
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for var in CALLER_AWS_VARS.into_iter().chain([
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CA_BUNDLE",
        "NO_COLOR",
        "AWS_MAX_ATTEMPTS",
        "AWS_RETRY_MODE",
        "AWS_CA_BUNDLE",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    ]) {
        command.env_remove(var);
    }
    // Service endpoints (AWS_ENDPOINT_URL_RDS, …) would send a child's
    // calls somewhere the test did not choose.
    for (var, _) in std::env::vars_os() {
        if var.to_string_lossy().starts_with("AWS_ENDPOINT_URL") {
            command.env_remove(var);
        }
    }
    command
}

/// The `aws` CLI `scripts/test` installs (pinned) beside moto, for
/// running `rdsight plan` scripts (`RDSIGHT_AWS_CLI`).
pub fn aws_cli() -> PathBuf {
    installed("RDSIGHT_AWS_CLI", "aws")
}
