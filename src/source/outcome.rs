//! What a source reports after sending a step: typed facts, so callers
//! decide on data (pending the window? what was created?) and only the
//! edges turn them into words.

use std::fmt;

use crate::model::ResourceRef;

/// One thing AWS (or the demo) said about a call it accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// The resource's status right after the call, e.g. `modifying`.
    Status {
        resource: ResourceRef,
        status: String,
    },
    /// A new resource is being made; `encrypted` when AWS said so.
    Created {
        resource: ResourceRef,
        encrypted: Option<bool>,
    },
    /// AWS holds this change (`Name=value`) for the next maintenance window.
    PendingWindow { change: String },
    /// Who may restore the snapshot now (empty: nobody else).
    SharedWith(Vec<String>),
    /// An ingress rule was removed from (or added to) a security group.
    IngressChanged {
        group: String,
        rule: String,
        revoked: bool,
    },
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fact::Status { resource, status } => {
                write!(f, "{} {} {status}", resource.kind, resource.id)
            }
            Fact::Created {
                resource,
                encrypted,
            } => {
                write!(f, "{} {} creating", resource.kind, resource.id)?;
                match encrypted {
                    Some(true) => f.write_str(", encrypted"),
                    Some(false) => f.write_str(", NOT encrypted"),
                    None => Ok(()),
                }
            }
            Fact::PendingWindow { change } => {
                write!(f, "accepted: {change} pending the next maintenance window")
            }
            Fact::SharedWith(accounts) if accounts.is_empty() => {
                f.write_str("restore attribute now empty: not shared")
            }
            Fact::SharedWith(accounts) => {
                write!(f, "restore attribute now [{}]", accounts.join(", "))
            }
            Fact::IngressChanged {
                group,
                rule,
                revoked: true,
            } => write!(f, "revoked {rule} from {group}"),
            Fact::IngressChanged { group, rule, .. } => write!(f, "authorized {rule} on {group}"),
        }
    }
}

/// A call the source sent and AWS accepted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepOutcome {
    pub facts: Vec<Fact>,
    /// The AWS request id, for the audit log and AWS support.
    pub request_id: Option<String>,
}

impl StepOutcome {
    pub fn new(facts: Vec<Fact>, request_id: Option<&str>) -> Self {
        Self {
            facts,
            request_id: request_id.filter(|id| !id.is_empty()).map(str::to_string),
        }
    }

    /// A call that started making `resource`.
    pub fn created(resource: ResourceRef, encrypted: Option<bool>, request: Option<&str>) -> Self {
        Self::new(
            vec![Fact::Created {
                resource,
                encrypted,
            }],
            request,
        )
    }

    /// AWS accepted the change but holds it for the maintenance window.
    pub fn pending_window(&self) -> bool {
        self.facts
            .iter()
            .any(|f| matches!(f, Fact::PendingWindow { .. }))
    }

    /// What the call created, if anything.
    pub fn creation(&self) -> Option<&ResourceRef> {
        self.facts.iter().find_map(|f| match f {
            Fact::Created { resource, .. } => Some(resource),
            _ => None,
        })
    }
}

/// The facts in one line, then the request id.
impl fmt::Display for StepOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let facts: Vec<String> = self.facts.iter().map(Fact::to_string).collect();
        f.write_str(if facts.is_empty() { "sent" } else { "" })?;
        f.write_str(&facts.join("; "))?;
        match &self.request_id {
            Some(id) => write!(f, " (request {id})"),
            None => Ok(()),
        }
    }
}
