//! Plans: the steps that fix findings, what they risk, and what the user
//! must read or choose before confirming. Which fix answers which rule is
//! the rule catalogue's to say (`rules::catalogue`); this module holds the
//! shapes every fix fills in.

use std::borrow::Cow;
use std::fmt;

use super::{Impact, Step};
use crate::config::RuleConfig;
use crate::finding::Finding;
use crate::model::{
    Cidr, DEFAULT_KMS_KEY, Fleet, FleetIndex, GroupKey, GroupUsersBook, OtherUsers,
};

/// Choices the user makes in the plan dialog (and `--kms-key`), and what
/// was read for the plan beyond the fleet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOptions {
    /// Apply now rather than in the next maintenance window.
    pub apply_immediately: bool,
    /// After an encrypted copy, delete the unencrypted original.
    pub delete_original: bool,
    /// Retention set by backups remediation.
    pub backup_retention_days: u32,
    /// KMS key (id, ARN or alias) every encrypting step uses.
    pub kms_key_id: String,
    /// Replace an all-traffic or port-range world rule by the DB port
    /// from this CIDR (validated: never the world).
    pub narrow_to: Option<Cidr>,
    /// Who uses each security group the plan changes, read from the
    /// source (network interfaces); a group not in it is "not read".
    pub group_users: GroupUsersBook,
}

impl Default for PlanOptions {
    fn default() -> Self {
        Self {
            apply_immediately: false,
            delete_original: false,
            backup_retention_days: 7,
            kms_key_id: DEFAULT_KMS_KEY.to_string(),
            narrow_to: None,
            group_users: GroupUsersBook::default(),
        }
    }
}

/// An option of [`PlanOptions`] a plan offers to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanChoice {
    /// Now, or in the next maintenance window.
    ApplyImmediately,
    /// Also delete the unencrypted original.
    DeleteOriginal,
    /// After revoking a broad world rule, authorize the DB port from a
    /// typed CIDR.
    NarrowTo,
}

/// Something the user must read before confirming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caveat {
    /// A consequence of the plan as it stands.
    Warning(Cow<'static, str>),
    /// What the plan leaves as it is; `choice` would change that.
    Unless {
        choice: PlanChoice,
        text: Cow<'static, str>,
    },
    /// A security group the plan changes, and who uses it: the
    /// databases the fleet shows, and what its network interfaces say.
    SharedGroup {
        region: String,
        group: String,
        databases: Vec<String>,
        others: OtherUsers,
    },
    /// The settings a restored copy takes from its original, as sent;
    /// each is compared with the copy once it is up (verify-after).
    Carried { copy: String, settings: Vec<String> },
    /// A setting of the original the restored copy does not get, and why.
    NotCarried {
        copy: String,
        setting: &'static str,
        why: Cow<'static, str>,
    },
}

impl Caveat {
    pub fn warning(text: impl Into<Cow<'static, str>>) -> Self {
        Caveat::Warning(text.into())
    }

    /// A group's users, once read, as a headline and one item per user,
    /// for renderings with room for a list (the dialog, the script).
    pub fn listing(&self) -> Option<(String, Vec<String>)> {
        let Caveat::SharedGroup {
            group,
            databases,
            others: others @ OtherUsers::Read(_),
            ..
        } = self
        else {
            return None;
        };
        let users = users_read(databases, others);
        (!users.is_empty()).then(|| {
            let head = format!(
                "{group} is used by these {}: clients coming from the internet through it lose access",
                users.len()
            );
            (head, users)
        })
    }
}

impl fmt::Display for Caveat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Caveat::Warning(text) | Caveat::Unless { text, .. } => f.write_str(text),
            Caveat::SharedGroup {
                group,
                databases,
                others,
                ..
            } => shared_group(f, group, databases, others),
            Caveat::Carried { copy, settings } => write!(
                f,
                "{copy} carries the original's {}; each is compared with the copy once it is up",
                settings.join(", ")
            ),
            Caveat::NotCarried { copy, setting, why } => {
                write!(f, "{copy} does not get the original's {setting}: {why}")
            }
        }
    }
}

/// Who loses access when a rule of `group` goes. What was not read, or
/// could not be, is said so: it is never "nothing else".
/// Every user of a group whose interfaces were read, by kind and id: the
/// fleet's databases by name, then what the interfaces add (the databases'
/// own interfaces only counted, when no database is named).
fn users_read(databases: &[String], others: &OtherUsers) -> Vec<String> {
    let (users, rds_interfaces) = others.beyond_databases();
    let mut all: Vec<String> = databases.iter().map(|d| format!("rds {d}")).collect();
    all.extend(users.iter().map(|u| u.to_string()));
    if databases.is_empty() && rds_interfaces > 0 {
        all.push(format!("{rds_interfaces} RDS network interface(s)"));
    }
    all
}

fn shared_group(
    f: &mut fmt::Formatter<'_>,
    group: &str,
    databases: &[String],
    others: &OtherUsers,
) -> fmt::Result {
    const KINDS: &str = "EC2 instances, load balancers, Lambda functions, endpoints";
    let dbs = if databases.is_empty() {
        "no database".to_string()
    } else {
        databases.join(", ")
    };
    match others {
        OtherUsers::Read(_) => {
            let all = users_read(databases, others);
            if all.is_empty() {
                write!(
                    f,
                    "{group} has no network interface in it: nothing else uses it"
                )
            } else {
                write!(
                    f,
                    "{group} is used by {}: clients coming from the internet through it lose access",
                    all.join(", ")
                )
            }
        }
        OtherUsers::Reading => write!(
            f,
            "{group} is attached to {dbs}; reading its network interfaces for its other users ({KINDS})…"
        ),
        OtherUsers::NotRead => write!(
            f,
            "{group} is attached to {dbs}; its other users ({KINDS}) were not read: they may lose access too"
        ),
        OtherUsers::Unknown(why) => write!(
            f,
            "{group} is attached to {dbs}; its other users are unknown — its network interfaces could not be read ({why}): {KINDS} in it may lose access too"
        ),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStep {
    pub step: Step,
    /// What this step is for, in plain words.
    pub purpose: String,
}

impl PlannedStep {
    pub fn new(step: impl Into<Step>, purpose: impl Into<String>) -> Self {
        Self {
            step: step.into(),
            purpose: purpose.into(),
        }
    }
}

/// Everything the confirmation dialog shows, and what the executor runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub findings: Vec<Finding>,
    pub steps: Vec<PlannedStep>,
    /// Warnings the user must read before confirming.
    pub caveats: Vec<Caveat>,
    /// Options that would change this plan.
    pub choices: Vec<PlanChoice>,
}

impl Plan {
    /// One plan covering every plan given, each step and caveat once.
    pub fn combine(plans: impl IntoIterator<Item = Plan>) -> Plan {
        let mut all = Plan {
            findings: Vec::new(),
            steps: Vec::new(),
            caveats: Vec::new(),
            choices: Vec::new(),
        };
        for plan in plans {
            all.findings.extend(plan.findings);
            for step in plan.steps {
                if !all.steps.iter().any(|s| s.step == step.step) {
                    all.steps.push(step);
                }
            }
            for caveat in plan.caveats {
                if !all.caveats.contains(&caveat) {
                    all.caveats.push(caveat);
                }
            }
            for choice in plan.choices {
                if !all.choices.contains(&choice) {
                    all.choices.push(choice);
                }
            }
        }
        all
    }

    pub fn impact(&self) -> Impact {
        self.steps
            .iter()
            .map(|s| s.step.impact())
            .max()
            .unwrap_or(Impact::None)
    }

    /// Resource ids the user must type before an outage or destructive step.
    pub fn confirmation_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .steps
            .iter()
            .filter(|s| s.step.impact().needs_typed_confirmation())
            .map(|s| s.step.target().id)
            .collect();
        ids.dedup();
        ids
    }

    /// The text to type to confirm, if any: the ids, space separated.
    pub fn confirmation_text(&self) -> Option<String> {
        let ids = self.confirmation_ids();
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    /// Does `choice` change this plan?
    pub fn offers(&self, choice: PlanChoice) -> bool {
        match choice {
            PlanChoice::ApplyImmediately => self.has_window_choice(),
            PlanChoice::DeleteOriginal | PlanChoice::NarrowTo => self.choices.contains(&choice),
        }
    }

    /// The security groups whose users the plan names: what to read from
    /// the source before the plan is confirmed.
    pub fn groups_to_read(&self) -> Vec<GroupKey> {
        let mut groups: Vec<GroupKey> = self
            .caveats
            .iter()
            .filter_map(|c| match c {
                Caveat::SharedGroup { region, group, .. } => Some((region.clone(), group.clone())),
                _ => None,
            })
            .collect();
        groups.sort();
        groups.dedup();
        groups
    }

    pub fn has_window_choice(&self) -> bool {
        self.steps.iter().any(|s| s.step.honours_window())
    }

    pub fn title(&self) -> String {
        match self.findings.as_slice() {
            [one] => format!("{} on {}", one.rule, one.resource_id),
            many => format!("{} findings", many.len()),
        }
    }
}

/// Why a finding has no automatic plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoRemediation {
    /// A decision rdsight does not make: what to do by hand.
    #[error("{0}")]
    ByHand(Cow<'static, str>),
    /// The fleet no longer shows what the finding was about.
    #[error("{0} — refresh the fleet")]
    Stale(String),
    /// The finding is not one this fix can answer.
    #[error("{0}")]
    NotApplicable(String),
    #[error("no finding selected")]
    NothingSelected,
}

/// What a fix is given to plan with.
pub struct FixInput<'a> {
    pub fleet: &'a Fleet,
    pub index: &'a FleetIndex<'a>,
    pub config: &'a RuleConfig,
    pub finding: &'a Finding,
    pub options: &'a PlanOptions,
}

impl FixInput<'_> {
    /// The finding's resource is gone from the fleet.
    pub fn gone(&self) -> NoRemediation {
        NoRemediation::Stale(format!(
            "{} is no longer in the fleet",
            self.finding.resource_id
        ))
    }
}

/// What a fix proposes for one finding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fixing {
    pub steps: Vec<PlannedStep>,
    pub caveats: Vec<Caveat>,
    pub choices: Vec<PlanChoice>,
}

/// One kind of remediation: the plan for a finding it answers. Each lives
/// in `fixes/<kind>.rs` with the calls it sends.
pub trait Fix: Sync {
    /// What it does, in a few words (the rule catalogue and help show it).
    fn summary(&self) -> &'static str;
    fn plan(&self, input: &FixInput<'_>) -> Result<Fixing, NoRemediation>;
}

/// How a rule's findings are fixed: by a plan, or by hand.
#[derive(Clone, Copy)]
pub enum Remedy {
    Fix(&'static dyn Fix),
    ByHand(&'static str),
}

impl Remedy {
    /// The plan for `input.finding`, as one plan.
    pub fn plan(&self, input: &FixInput<'_>) -> Result<Plan, NoRemediation> {
        match self {
            Remedy::ByHand(advice) => Err(NoRemediation::ByHand(Cow::Borrowed(advice))),
            Remedy::Fix(fix) => {
                let fixing = fix.plan(input)?;
                Ok(Plan {
                    findings: vec![input.finding.clone()],
                    steps: fixing.steps,
                    caveats: fixing.caveats,
                    choices: fixing.choices,
                })
            }
        }
    }
}

impl fmt::Debug for Remedy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Remedy::Fix(fix) => write!(f, "Fix({})", fix.summary()),
            Remedy::ByHand(advice) => write!(f, "ByHand({advice})"),
        }
    }
}
