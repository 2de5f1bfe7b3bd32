//! One AWS call, described once: its parameters in API spelling with typed
//! values. The plan dialog and the audit log show the parameters, the
//! `aws` CLI line is rendered from the same list, and each call's `send`
//! passes the same fields to the SDK — so what is shown, scripted, logged
//! and sent cannot disagree.

use futures::future::BoxFuture;
use std::fmt;

use super::Step;
use crate::model::{Fleet, ResourceRef, ResourceType};
use crate::source::aws::RegionClients;
use crate::source::demo::DemoChange;
use crate::source::{SourceError, StepOutcome};
use crate::text::shell;

/// How much a step disturbs the database, worst last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    None,
    CreatesResource,
    BriefIoPause,
    Outage,
    Destructive,
}

impl Impact {
    pub fn label(self) -> &'static str {
        match self {
            Impact::None => "none",
            Impact::CreatesResource => "creates resource",
            Impact::BriefIoPause => "brief I/O pause",
            Impact::Outage => "outage",
            Impact::Destructive => "destructive",
        }
    }

    /// Steps this disruptive need the resource id typed to confirm.
    pub fn needs_typed_confirmation(self) -> bool {
        matches!(self, Impact::Outage | Impact::Destructive)
    }
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A parameter value, typed so each rendering can spell it its own way.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Flag(bool),
    Number(i64),
    /// A list of strings (`--values-to-remove a b` on the CLI).
    List(Vec<String>),
    /// A structure, sent and shown as JSON.
    Json(serde_json::Value),
}

impl Value {
    /// The value as the plan dialog and the audit log show it.
    pub fn shown(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Flag(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::List(items) => serde_json::to_string(items).unwrap_or_default(),
            Value::Json(json) => json.to_string(),
        }
    }
}

/// One parameter of a call, named as in the AWS API reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: &'static str,
    pub value: Value,
}

impl Param {
    pub fn text(name: &'static str, value: impl Into<String>) -> Self {
        Self {
            name,
            value: Value::Text(value.into()),
        }
    }

    pub fn flag(name: &'static str, value: bool) -> Self {
        Self {
            name,
            value: Value::Flag(value),
        }
    }

    pub fn number(name: &'static str, value: i64) -> Self {
        Self {
            name,
            value: Value::Number(value),
        }
    }

    pub fn list(name: &'static str, values: &[String]) -> Self {
        Self {
            name,
            value: Value::List(values.to_vec()),
        }
    }

    /// The `aws` CLI spelling: `--db-instance-identifier x`, `--multi-az`,
    /// `--no-apply-immediately`, `--values-to-remove a b`, `--x '<json>'`.
    /// Every value is shell-quoted (`text::shell`): a value from the fleet
    /// is one argument, and one starting with `-` is joined by `=` so the
    /// CLI reads it as the value.
    pub fn cli(&self) -> String {
        let option = kebab(self.name);
        match &self.value {
            Value::Text(s) => shell::option(&option, s),
            Value::Flag(true) => format!("--{option}"),
            Value::Flag(false) => format!("--no-{option}"),
            Value::Number(n) => shell::option(&option, &n.to_string()),
            // A list item starting with `-` cannot follow the option as a
            // word of its own; the CLI also takes a list as JSON, joined by
            // `=` as one value.
            Value::List(items) if items.iter().any(|i| i.starts_with('-')) => {
                let json = serde_json::to_string(items).unwrap_or_default();
                format!("--{option}={}", shell::quote(&json))
            }
            Value::List(items) => {
                let words: Vec<_> = items.iter().map(|i| shell::quote(i)).collect();
                format!("--{option} {}", words.join(" "))
            }
            Value::Json(json) => shell::option(&option, &json.to_string()),
        }
    }
}

/// API spelling to CLI spelling, as the `aws` CLI derives its names:
/// `DBInstanceIdentifier` → `db-instance-identifier`, `MultiAZ` → `multi-az`.
pub fn kebab(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('-');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The `aws` command line for `api` (`rds:ModifyDBInstance`) in `region`.
pub fn cli_line(api: &str, region: &str, params: &[Param]) -> String {
    let (service, action) = api.split_once(':').unwrap_or(("rds", api));
    let mut line = format!(
        "aws {service} {} {}",
        kebab(action),
        shell::option("region", region)
    );
    for param in params {
        line.push(' ');
        line.push_str(&param.cli());
    }
    line
}

/// When a step's change has taken: what the executor re-reads for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verify {
    /// The step deletes its target: done when it is gone.
    pub deleting: bool,
    /// Done only once no change of this PendingModifiedValues name is
    /// queued: right after a Modify call AWS can say `available` with the
    /// change still pending.
    pub not_pending: Option<&'static str>,
}

/// The `aws rds wait` a script runs after a step, so the next command
/// never meets a resource that is still changing.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    pub name: String,
    pub id: Param,
}

impl Waiter {
    /// The CLI's waiter for `target` reaching `state` (`available`,
    /// `deleted`), where the CLI has one.
    pub fn until(target: &ResourceRef, state: &str) -> Option<Waiter> {
        let (prefix, id) = match target.kind {
            ResourceType::DbSnapshot => ("db-snapshot", "DBSnapshotIdentifier"),
            ResourceType::DbInstance => ("db-instance", "DBInstanceIdentifier"),
            ResourceType::DbCluster => ("db-cluster", "DBClusterIdentifier"),
            ResourceType::DbClusterSnapshot
            | ResourceType::SecurityGroup
            | ResourceType::Principal => {
                return None;
            }
        };
        Some(Waiter {
            name: format!("{prefix}-{state}"),
            id: Param::text(id, &target.id),
        })
    }
}

/// Whether and how a step can be taken back.
#[derive(Debug, Clone, PartialEq)]
pub enum Reversibility {
    /// One call reverses it.
    Undo(Box<Step>),
    /// It made something new: delete that; the original is untouched.
    DeleteWhatItMade,
    /// Modify the setting back.
    ModifyBack,
    /// It cannot be undone, and why.
    Irreversible(&'static str),
}

impl fmt::Display for Reversibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reversibility::Undo(step) => write!(f, "reversible: {}", step.cli()),
            Reversibility::DeleteWhatItMade => {
                f.write_str("reversible: delete the new resource; the original is untouched")
            }
            Reversibility::ModifyBack => f.write_str("reversible: modify the setting back"),
            Reversibility::Irreversible(why) => write!(f, "irreversible: {why}"),
        }
    }
}

/// A call on its way: what AWS answered, or why it refused.
pub type Sent<'a> = BoxFuture<'a, Result<StepOutcome, SourceError>>;

/// Everything one kind of AWS call knows about itself. Each lives in the
/// fix module that first needed it (`fixes/*.rs`) and is registered once
/// in `fixes/mod.rs`.
pub trait Call: fmt::Debug + Send + Sync {
    /// `service:Action`, e.g. `rds:ModifyDBInstance`.
    fn api(&self) -> &'static str;
    /// The parameters exactly as sent, in API order and spelling.
    fn parameters(&self) -> Vec<Param>;
    /// The resource it changes or creates (its region is the call's):
    /// waited for and re-read.
    fn target(&self) -> ResourceRef;
    fn impact(&self) -> Impact {
        Impact::None
    }
    /// By default what a call creates can be deleted, and a setting it
    /// changes can be changed back.
    fn reversibility(&self) -> Reversibility {
        match self.impact() {
            Impact::CreatesResource => Reversibility::DeleteWhatItMade,
            _ => Reversibility::ModifyBack,
        }
    }
    fn verify(&self) -> Verify {
        Verify::default()
    }
    /// What a script waits for after it: by default the target to be
    /// available again.
    fn waiter(&self) -> Option<Waiter> {
        Waiter::until(&self.target(), "available")
    }
    /// Does AWS hold the change for the maintenance window unless told to
    /// apply it immediately?
    fn honours_window(&self) -> bool {
        false
    }
    /// After a call that got no clear answer: does `now` (a fresh re-read
    /// of [`Call::target`]) show it took effect? `None` when the re-read
    /// cannot tell. By default a call that creates its target under a
    /// fixed id landed when the re-read finds it (a second send could only
    /// be refused as a duplicate); other calls say for themselves.
    fn landed(&self, now: &Fleet) -> Option<bool> {
        (self.impact() == Impact::CreatesResource).then(|| now.status_of(&self.target()).is_some())
    }
    /// Verify-after: once the target has settled, does `now` (its fresh
    /// re-read) hold what the call set? `Err` names every setting that
    /// differs, and the executor fails the step with it: AWS can accept a
    /// parameter and still end elsewhere (a default that won, an emulator
    /// that ignored it). By default there is nothing to compare beyond the
    /// status the executor already waits for.
    fn check_after(&self, _now: &Fleet) -> Result<(), String> {
        Ok(())
    }
    /// Does sending it twice end where sending it once does? Then a call
    /// with no clear answer whose re-read cannot tell may be sent once
    /// more. Calls that create are not: the second one is refused, or
    /// (without a fixed name) makes a second resource.
    fn idempotent(&self) -> bool {
        false
    }
    /// Send it through the SDK, with exactly [`Call::parameters`].
    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a>;
    /// What it does to the in-memory demo fleet, as AWS would.
    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_names_become_cli_names() {
        for (api, cli) in [
            ("DBInstanceIdentifier", "db-instance-identifier"),
            (
                "SourceDBSnapshotIdentifier",
                "source-db-snapshot-identifier",
            ),
            ("MultiAZ", "multi-az"),
            (
                "EnableIAMDatabaseAuthentication",
                "enable-iam-database-authentication",
            ),
            ("VpcSecurityGroupIds", "vpc-security-group-ids"),
            ("KmsKeyId", "kms-key-id"),
            (
                "RestoreDBInstanceFromDBSnapshot",
                "restore-db-instance-from-db-snapshot",
            ),
            (
                "ModifyDBClusterSnapshotAttribute",
                "modify-db-cluster-snapshot-attribute",
            ),
        ] {
            assert_eq!(kebab(api), cli);
        }
    }

    #[test]
    fn values_render_for_the_cli_and_for_people() {
        let params = [
            Param::text("DBInstanceIdentifier", "db"),
            Param::flag("MultiAZ", true),
            Param::flag("ApplyImmediately", false),
            Param::number("BackupRetentionPeriod", 7),
            Param::list("ValuesToRemove", &["all".to_string()]),
        ];
        assert_eq!(
            cli_line("rds:ModifyDBInstance", "us-east-1", &params),
            "aws rds modify-db-instance --region us-east-1 --db-instance-identifier db --multi-az --no-apply-immediately --backup-retention-period 7 --values-to-remove all"
        );
        assert_eq!(params[4].value.shown(), r#"["all"]"#);
        assert_eq!(params[2].value.shown(), "false");
    }

    #[test]
    fn every_value_from_the_fleet_is_one_quoted_word() {
        let params = [
            Param::text("DBInstanceIdentifier", "prod --publicly-accessible"),
            Param::text("DBSnapshotIdentifier", "-x"),
            Param::list("ValuesToRemove", &["1 2".to_string(), "all".to_string()]),
            Param::list("ValuesToAdd", &["-1".to_string()]),
        ];
        assert_eq!(
            cli_line("rds:ModifyDBSnapshotAttribute", "eu west", &params),
            "aws rds modify-db-snapshot-attribute --region 'eu west' \
             --db-instance-identifier 'prod --publicly-accessible' \
             --db-snapshot-identifier=-x --values-to-remove '1 2' all \
             --values-to-add='[\"-1\"]'"
        );
    }
}
