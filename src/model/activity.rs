//! The RDS activity trail: API calls CloudTrail recorded against RDS, as
//! every source turns them into plain data (issue 15).
//!
//! An [`Event`] keeps what triage asks of a call — who, when, from where,
//! with which tool, on what, and whether AWS refused it — plus the typed
//! facts of the calls the activity rules judge (a share, an export, a
//! copy). `ActivityRead` says which regions' trails were read over which
//! window, so an empty list of events is never mistaken for a quiet one.

use serde::{Deserialize, Serialize};

use super::{ResourceRef, ResourceType};

/// CloudTrail's `eventSource` for RDS (and Aurora, Neptune, DocumentDB,
/// which share its API).
pub const RDS_EVENT_SOURCE: &str = "rds.amazonaws.com";

/// The most LookupEvents can look back: management events are kept 90 days.
pub const MAX_ACTIVITY_DAYS: u32 = 90;

/// One RDS API call as CloudTrail recorded it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Event {
    /// CloudTrail's `eventID`: what findings cite as evidence.
    pub id: String,
    /// `eventTime`, RFC 3339 in UTC (`2026-11-30T02:14:07Z`): sorts as text.
    pub time: String,
    /// `awsRegion`: where the call was made.
    pub region: String,
    /// `eventName`, e.g. `ModifyDBClusterSnapshotAttribute`.
    pub name: String,
    pub principal: Principal,
    /// `sourceIPAddress`: an address, or a service name for calls AWS made.
    pub source_ip: String,
    pub user_agent: String,
    /// `errorCode` when AWS refused or failed the call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The resource the call acted on, when its parameters name one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<EventResource>,
    /// The facts the activity rules read, for the calls they judge.
    #[serde(skip_serializing_if = "EventDetail::is_none")]
    pub detail: EventDetail,
}

impl Event {
    /// Did AWS refuse it for want of permission?
    pub fn is_denied(&self) -> bool {
        self.error_code.as_deref().is_some_and(is_denial_code)
    }

    /// Did the call fail, for any reason?
    pub fn failed(&self) -> bool {
        self.error_code.is_some()
    }

    /// What the result column shows: `ok`, or the error code.
    pub fn result(&self) -> &str {
        self.error_code.as_deref().unwrap_or("ok")
    }
}

/// An `errorCode` meaning "not allowed" rather than "went wrong":
/// `AccessDenied`, `AccessDeniedException`, `Client.UnauthorizedOperation`,
/// `UnauthorizedOperation`, `Unauthorized…`.
pub fn is_denial_code(code: &str) -> bool {
    let code = code.strip_prefix("Client.").unwrap_or(code);
    code.starts_with("AccessDenied") || code.starts_with("Unauthorized")
}

/// Who made a call: CloudTrail's `userIdentity`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Principal {
    pub kind: PrincipalKind,
    /// The identity's ARN (for an assumed role, the session's ARN).
    pub arn: String,
    /// The account the identity belongs to.
    pub account: String,
    /// For an assumed role: the role's ARN (`sessionContext.sessionIssuer`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// `invokedBy`: the AWS service that called on the principal's behalf.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoked_by: Option<String>,
}

impl Principal {
    /// A short name for a column: `user/alice`, `role/Admin`, `root`,
    /// `service rds.amazonaws.com`; the full ARN is in the details.
    pub fn short(&self) -> String {
        match self.kind {
            PrincipalKind::Root => "root".to_string(),
            PrincipalKind::AwsService => format!(
                "service {}",
                self.invoked_by.as_deref().unwrap_or(&self.arn)
            ),
            _ => {
                let arn = self.matchable_arn();
                if arn.is_empty() {
                    "unknown".to_string()
                } else {
                    arn_resource(arn).to_string()
                }
            }
        }
    }

    /// The ARN policies and patterns match: the role for an assumed role,
    /// the identity's own ARN otherwise.
    pub fn matchable_arn(&self) -> &str {
        self.role_arn.as_deref().unwrap_or(&self.arn)
    }
}

/// The resource part of an ARN (`user/alice` in
/// `arn:aws:iam::123456789012:user/alice`), or the text itself.
pub fn arn_resource(arn: &str) -> &str {
    if !arn.starts_with("arn:") {
        return arn;
    }
    arn.splitn(6, ':').nth(5).unwrap_or(arn)
}

/// `userIdentity.type`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrincipalKind {
    Root,
    IamUser,
    AssumedRole,
    FederatedUser,
    /// `AWSService`: a service acting for itself.
    AwsService,
    /// `AWSAccount`: another account's principal, known only by account.
    AwsAccount,
    /// `IdentityCenterUser`, `WebIdentityUser`, …
    #[default]
    Other,
}

impl PrincipalKind {
    /// From CloudTrail's `userIdentity.type`.
    pub fn from_trail(kind: &str) -> Self {
        match kind {
            "Root" => PrincipalKind::Root,
            "IAMUser" => PrincipalKind::IamUser,
            "AssumedRole" => PrincipalKind::AssumedRole,
            "FederatedUser" => PrincipalKind::FederatedUser,
            "AWSService" => PrincipalKind::AwsService,
            "AWSAccount" => PrincipalKind::AwsAccount,
            _ => PrincipalKind::Other,
        }
    }
}

/// The resource a call names, as its request parameters named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventResource {
    pub kind: ResourceType,
    /// The identifier as the fleet lists it (an ARN in the parameters is
    /// cut to its last part for same-region, same-account resources).
    pub id: String,
    /// The region the resource is in: the call's, unless the parameters
    /// name another (a cross-region copy's target is in the call's region;
    /// its source is named in `EventDetail::Copy`).
    pub region: String,
}

impl EventResource {
    pub fn resource_ref(&self) -> ResourceRef {
        ResourceRef::new(self.kind, &self.region, &self.id)
    }
}

/// The typed facts of the calls the activity rules judge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum EventDetail {
    #[default]
    None,
    /// `ModifyDB[Cluster]SnapshotAttribute`: who may restore it.
    Share {
        /// `attributeName`, `restore` for sharing.
        attribute: String,
        /// `valuesToAdd`: account ids, or `all` for public.
        added: Vec<String>,
        /// `valuesToRemove`.
        removed: Vec<String>,
    },
    /// `StartExportTask`: a snapshot or cluster written to S3.
    Export {
        task_id: String,
        source_arn: String,
        bucket: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prefix: Option<String>,
        role_arn: String,
        kms_key_id: String,
    },
    /// `CreateDB[Cluster]Snapshot`: the snapshot and what it was taken of.
    Create { snapshot: String, source: String },
    /// `CopyDB[Cluster]Snapshot`: from where to which copy.
    Copy {
        /// `sourceDB[Cluster]SnapshotIdentifier` (an ARN when from another
        /// region or account).
        source: String,
        target: String,
        /// The region the copy was made in (the call's region): a copy
        /// between regions is called in the destination region.
        destination_region: String,
        /// The source's region, from its ARN or `SourceRegion`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source_region: Option<String>,
        /// `kmsKeyId` of the copy, if one was given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kms_key_id: Option<String>,
        /// Whether the copy is encrypted, when the response says.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        encrypted: Option<bool>,
    },
}

impl EventDetail {
    pub fn is_none(&self) -> bool {
        matches!(self, EventDetail::None)
    }
}

/// One region's trail read over a window: what the activity rules may
/// speak for. A region with no read says nothing about its activity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityRead {
    pub region: String,
    /// The window, RFC 3339 UTC; for trail files, the first and last
    /// event time seen.
    pub since: String,
    pub until: String,
    /// `cloudtrail:LookupEvents`, `trail files <path>`, `demo`, …
    pub via: String,
}
