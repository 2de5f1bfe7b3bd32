//! What an RDS call's `requestParameters` and `responseElements` say: the
//! typed facts the activity rules judge ([`EventDetail`]) and the resource
//! the call acted on ([`EventResource`]).
//!
//! CloudTrail writes an RDS call's parameters as the API names them with
//! the first letter lowered: `DBSnapshotIdentifier` becomes
//! `dBSnapshotIdentifier`, `SourceDBClusterSnapshotIdentifier`
//! `sourceDBClusterSnapshotIdentifier`, `S3BucketName` `s3BucketName`. A
//! parameter that is missing or not text reads as empty; parameters that
//! are not an object at all give no detail and no resource, and the event
//! is kept all the same.

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::model::{EventDetail, EventResource, ResourceType};

type Params = Map<String, Value>;

/// The detail and the resource of one call, named `name`, made in
/// `region` and recorded for `account`.
pub(super) fn details(
    name: &str,
    region: &str,
    account: &str,
    request: Option<&RawValue>,
    response: Option<&RawValue>,
) -> (EventDetail, Option<EventResource>) {
    let Some(params) = object(request) else {
        return (EventDetail::None, None);
    };
    let here = Here { region, account };
    let detail = match name {
        "ModifyDBSnapshotAttribute" | "ModifyDBClusterSnapshotAttribute" => EventDetail::Share {
            attribute: text(&params, "attributeName"),
            added: texts(&params, "valuesToAdd"),
            removed: texts(&params, "valuesToRemove"),
        },
        "StartExportTask" => EventDetail::Export {
            task_id: text(&params, "exportTaskIdentifier"),
            source_arn: text(&params, "sourceArn"),
            bucket: text(&params, "s3BucketName"),
            prefix: Some(text(&params, "s3Prefix")).filter(|p| !p.is_empty()),
            role_arn: text(&params, "iamRoleArn"),
            kms_key_id: text(&params, "kmsKeyId"),
        },
        "CreateDBSnapshot" => EventDetail::Create {
            snapshot: text(&params, "dBSnapshotIdentifier"),
            source: text(&params, "dBInstanceIdentifier"),
        },
        "CreateDBClusterSnapshot" => EventDetail::Create {
            snapshot: text(&params, "dBClusterSnapshotIdentifier"),
            source: text(&params, "dBClusterIdentifier"),
        },
        "CopyDBSnapshot" => copy(&params, "DBSnapshotIdentifier", region, response),
        "CopyDBClusterSnapshot" => copy(&params, "DBClusterSnapshotIdentifier", region, response),
        _ => EventDetail::None,
    };
    (detail, here.resource(name, &params))
}

/// `CopyDB[Cluster]Snapshot`, whose identifiers are `source…` and
/// `target…` + `key`.
fn copy(params: &Params, key: &str, region: &str, response: Option<&RawValue>) -> EventDetail {
    let source = text(params, &format!("source{key}"));
    // A copy from another region (or account) must name its source by ARN;
    // a plain identifier is a snapshot in the region the copy is made in.
    let source_region = match Arn::parse(&source) {
        Some(arn) => Some(arn.region.to_string()),
        None => Some(text(params, "sourceRegion"))
            .filter(|r| !r.is_empty())
            .or_else(|| (!source.is_empty()).then(|| region.to_string())),
    };
    EventDetail::Copy {
        target: text(params, &format!("target{key}")),
        source,
        destination_region: region.to_string(),
        source_region: source_region.filter(|r| !r.is_empty()),
        kms_key_id: Some(text(params, "kmsKeyId")).filter(|k| !k.is_empty()),
        encrypted: object(response).and_then(|r| encrypted(&r)),
    }
}

/// Whether the copy is encrypted, as the response describes it: a DB
/// snapshot's `encrypted`, a cluster snapshot's `storageEncrypted`, at the
/// top or under `dBSnapshot` / `dBClusterSnapshot`.
fn encrypted(response: &Params) -> Option<bool> {
    let flag = |object: &Params| {
        ["encrypted", "storageEncrypted"]
            .iter()
            .find_map(|key| object.get(*key).and_then(Value::as_bool))
    };
    flag(response).or_else(|| {
        ["dBSnapshot", "dBClusterSnapshot"]
            .iter()
            .filter_map(|key| response.get(*key).and_then(Value::as_object))
            .find_map(flag)
    })
}

/// Where the call was made and for which account: what decides whether an
/// ARN in its parameters names a resource of this fleet.
struct Here<'a> {
    region: &'a str,
    account: &'a str,
}

/// The parameters that name what a call acted on, most specific first:
/// a snapshot before the instance or cluster it was taken of.
const RESOURCE_KEYS: &[(&str, ResourceType)] = &[
    ("dBSnapshotIdentifier", ResourceType::DbSnapshot),
    (
        "dBClusterSnapshotIdentifier",
        ResourceType::DbClusterSnapshot,
    ),
    ("targetDBSnapshotIdentifier", ResourceType::DbSnapshot),
    (
        "targetDBClusterSnapshotIdentifier",
        ResourceType::DbClusterSnapshot,
    ),
    ("dBInstanceIdentifier", ResourceType::DbInstance),
    ("dBClusterIdentifier", ResourceType::DbCluster),
];

impl Here<'_> {
    fn resource(&self, name: &str, params: &Params) -> Option<EventResource> {
        // An export acts on its source; its other parameters name a bucket.
        if name == "StartExportTask" {
            return self.by_arn(&text(params, "sourceArn"));
        }
        RESOURCE_KEYS
            .iter()
            .find_map(|(key, kind)| {
                let value = text(params, key);
                (!value.is_empty()).then(|| self.named(*kind, value))
            })
            .flatten()
            .or_else(|| self.by_arn(&text(params, "resourceName")))
    }

    /// A resource named by identifier or by ARN.
    fn named(&self, kind: ResourceType, value: String) -> Option<EventResource> {
        if value.starts_with("arn:") {
            return self.by_arn(&value);
        }
        Some(EventResource {
            kind,
            id: value,
            region: self.region.to_string(),
        })
    }

    /// The resource an RDS ARN names: its identifier when it is this
    /// account's (the fleet lists it so), the whole ARN when another
    /// account's (a snapshot shared with this one).
    fn by_arn(&self, value: &str) -> Option<EventResource> {
        let arn = Arn::parse(value)?;
        let kind = arn.kind()?;
        let ours = self.account.is_empty() || arn.account == self.account;
        let region = if arn.region.is_empty() {
            self.region
        } else {
            arn.region
        };
        Some(EventResource {
            kind,
            id: (if ours { arn.id } else { value }).to_string(),
            region: region.to_string(),
        })
    }
}

/// An RDS ARN: `arn:aws:rds:us-east-1:111122223333:snapshot:name`.
struct Arn<'a> {
    region: &'a str,
    account: &'a str,
    resource_type: &'a str,
    /// The rest, colons and all (`rds:db-2026-01-01-00-00` for an
    /// automated snapshot).
    id: &'a str,
}

impl<'a> Arn<'a> {
    fn parse(value: &'a str) -> Option<Self> {
        let mut parts = value.splitn(7, ':');
        let (Some("arn"), Some(_partition), Some("rds")) =
            (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let region = parts.next()?;
        let account = parts.next()?;
        let resource_type = parts.next()?;
        let id = parts.next().filter(|id| !id.is_empty())?;
        Some(Arn {
            region,
            account,
            resource_type,
            id,
        })
    }

    fn kind(&self) -> Option<ResourceType> {
        match self.resource_type {
            "snapshot" => Some(ResourceType::DbSnapshot),
            "cluster-snapshot" => Some(ResourceType::DbClusterSnapshot),
            "db" => Some(ResourceType::DbInstance),
            "cluster" => Some(ResourceType::DbCluster),
            _ => None,
        }
    }
}

/// The parameters, when they are an object.
fn object(raw: Option<&RawValue>) -> Option<Params> {
    serde_json::from_str(raw?.get()).ok()
}

/// A text parameter, or empty.
fn text(params: &Params, key: &str) -> String {
    params
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// A list of text (`valuesToAdd`); one text alone counts as a list of one,
/// anything else as none.
fn texts(params: &Params, key: &str) -> Vec<String> {
    match params.get(key) {
        Some(Value::Array(values)) => values
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(value)) => vec![value.clone()],
        _ => Vec::new(),
    }
}
