//! Sending one remediation step: each `Step` is exactly one SDK call with
//! exactly the parameters `Step::parameters()` shows the user.

use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range};
use aws_sdk_rds::operation::RequestId;

use super::RegionClients;
use super::convert;
use super::error::CallError;
use crate::remediation::{Setting, Step, StepOutcome};
use crate::source::SourceError;

/// The snapshot attribute that controls sharing.
const RESTORE: &str = convert::RESTORE_ATTRIBUTE;

pub(super) async fn apply(c: &RegionClients, step: &Step) -> Result<StepOutcome, SourceError> {
    let failed = |e: CallError| SourceError::Call {
        call: step.api().to_string(),
        message: e.message,
        code: e.code,
        request_id: e.request_id,
    };
    let refused = |why: String| SourceError::call(step.api(), why);
    let done = |message: String, request: Option<&str>| StepOutcome {
        message: with_request(message, request),
        pending_window: false,
        request_id: request.map(str::to_string),
    };
    match step {
        Step::ModifySnapshotAttribute {
            kind: crate::model::SnapshotKind::Db,
            snapshot_id,
            values_to_add,
            values_to_remove,
            ..
        } => {
            let out = c
                .rds
                .modify_db_snapshot_attribute()
                .db_snapshot_identifier(snapshot_id)
                .attribute_name(RESTORE)
                .set_values_to_add(non_empty(values_to_add))
                .set_values_to_remove(non_empty(values_to_remove))
                .send()
                .await
                .map_err(|e| failed(c.error(&e)))?;
            let now = out
                .db_snapshot_attributes_result()
                .map(convert::db_snapshot_restore)
                .unwrap_or_default();
            Ok(done(restore_now(&now), out.request_id()))
        }
        Step::ModifySnapshotAttribute {
            kind: crate::model::SnapshotKind::Cluster,
            snapshot_id,
            values_to_add,
            values_to_remove,
            ..
        } => {
            let out = c
                .rds
                .modify_db_cluster_snapshot_attribute()
                .db_cluster_snapshot_identifier(snapshot_id)
                .attribute_name(RESTORE)
                .set_values_to_add(non_empty(values_to_add))
                .set_values_to_remove(non_empty(values_to_remove))
                .send()
                .await
                .map_err(|e| failed(c.error(&e)))?;
            let now = out
                .db_cluster_snapshot_attributes_result()
                .map(convert::cluster_snapshot_restore)
                .unwrap_or_default();
            Ok(done(restore_now(&now), out.request_id()))
        }
        Step::CreateDBSnapshot {
            instance_id,
            snapshot_id,
            ..
        } => {
            let out = c
                .rds
                .create_db_snapshot()
                .db_instance_identifier(instance_id)
                .db_snapshot_identifier(snapshot_id)
                .send()
                .await
                .map_err(|e| failed(c.error(&e)))?;
            let status = out.db_snapshot().and_then(|s| s.status()).unwrap_or("sent");
            Ok(done(
                format!("snapshot {snapshot_id} {status}"),
                out.request_id(),
            ))
        }
        Step::CopyDBSnapshot {
            source_snapshot_id,
            target_snapshot_id,
            kms_key_id,
            ..
        } => {
            let out = c
                .rds
                .copy_db_snapshot()
                .source_db_snapshot_identifier(source_snapshot_id)
                .target_db_snapshot_identifier(target_snapshot_id)
                .kms_key_id(kms_key_id)
                .copy_tags(true)
                .send()
                .await
                .map_err(|e| failed(c.error(&e)))?;
            let snapshot = out.db_snapshot();
            let status = snapshot.and_then(|s| s.status()).unwrap_or("sent");
            let encrypted = match snapshot.and_then(|s| s.encrypted()) {
                Some(true) => ", encrypted",
                Some(false) => ", NOT encrypted",
                None => "",
            };
            Ok(done(
                format!("copy {target_snapshot_id} {status}{encrypted}"),
                out.request_id(),
            ))
        }
        Step::DeleteDBSnapshot { snapshot_id, .. } => {
            let out = c
                .rds
                .delete_db_snapshot()
                .db_snapshot_identifier(snapshot_id)
                .send()
                .await
                .map_err(|e| failed(c.error(&e)))?;
            let status = out
                .db_snapshot()
                .and_then(|s| s.status())
                .unwrap_or("deleting");
            Ok(done(
                format!("snapshot {snapshot_id} {status}"),
                out.request_id(),
            ))
        }
        Step::RestoreDBClusterFromSnapshot {
            snapshot_id,
            cluster_id,
            engine,
            kms_key_id,
            ..
        } => {
            let out = c
                .rds
                .restore_db_cluster_from_snapshot()
                .db_cluster_identifier(cluster_id)
                .snapshot_identifier(snapshot_id)
                .engine(engine)
                .kms_key_id(kms_key_id)
                .send()
                .await
                .map_err(|e| failed(c.error(&e)))?;
            let status = out
                .db_cluster()
                .and_then(|x| x.status())
                .unwrap_or("creating");
            Ok(done(
                format!("cluster {cluster_id} {status}"),
                out.request_id(),
            ))
        }
        Step::RestoreDBInstanceFromDBSnapshot {
            snapshot_id,
            instance_id,
            carried_over,
            ..
        } => {
            let out = c
                .rds
                .restore_db_instance_from_db_snapshot()
                .db_instance_identifier(instance_id)
                .db_snapshot_identifier(snapshot_id)
                .set_db_instance_class(carried_over.instance_class.clone())
                .set_db_subnet_group_name(carried_over.subnet_group.clone())
                .set_vpc_security_group_ids(non_empty(&carried_over.security_group_ids))
                .set_db_parameter_group_name(carried_over.parameter_group.clone())
                .send()
                .await
                .map_err(|e| failed(c.error(&e)))?;
            let status = out
                .db_instance()
                .and_then(|x| x.db_instance_status())
                .unwrap_or("creating");
            Ok(done(
                format!("instance {instance_id} {status}"),
                out.request_id(),
            ))
        }
        Step::ModifyDBInstance {
            instance_id,
            setting,
            apply_immediately,
            ..
        } => {
            let call = c
                .rds
                .modify_db_instance()
                .db_instance_identifier(instance_id)
                .apply_immediately(*apply_immediately);
            let call = match *setting {
                Setting::PubliclyAccessible(v) => call.publicly_accessible(v),
                Setting::MultiAZ(v) => call.multi_az(v),
                Setting::BackupRetentionPeriod(days) => {
                    call.backup_retention_period(retention(days).map_err(refused)?)
                }
                Setting::DeletionProtection(v) => call.deletion_protection(v),
                Setting::AutoMinorVersionUpgrade(v) => call.auto_minor_version_upgrade(v),
                Setting::EnableIAMDatabaseAuthentication(v) => {
                    call.enable_iam_database_authentication(v)
                }
                Setting::CopyTagsToSnapshot(v) => call.copy_tags_to_snapshot(v),
            };
            let out = call.send().await.map_err(|e| failed(c.error(&e)))?;
            let instance = out.db_instance();
            let pending = instance
                .and_then(|i| i.pending_modified_values())
                .is_some_and(|p| match setting {
                    Setting::MultiAZ(_) => p.multi_az().is_some(),
                    Setting::BackupRetentionPeriod(_) => p.backup_retention_period().is_some(),
                    _ => false,
                });
            let status = instance
                .and_then(|i| i.db_instance_status())
                .unwrap_or("sent");
            Ok(modified(
                format!("instance {instance_id} {status}"),
                setting,
                *apply_immediately,
                pending,
                out.request_id(),
            ))
        }
        Step::ModifyDBCluster {
            cluster_id,
            setting,
            apply_immediately,
            ..
        } => {
            let call = c
                .rds
                .modify_db_cluster()
                .db_cluster_identifier(cluster_id)
                .apply_immediately(*apply_immediately);
            let call = match *setting {
                Setting::BackupRetentionPeriod(days) => {
                    call.backup_retention_period(retention(days).map_err(refused)?)
                }
                Setting::DeletionProtection(v) => call.deletion_protection(v),
                Setting::AutoMinorVersionUpgrade(v) => call.auto_minor_version_upgrade(v),
                Setting::EnableIAMDatabaseAuthentication(v) => {
                    call.enable_iam_database_authentication(v)
                }
                Setting::CopyTagsToSnapshot(v) => call.copy_tags_to_snapshot(v),
                // Not parameters of ModifyDBCluster: refuse rather than send
                // something other than what the plan showed.
                Setting::PubliclyAccessible(_) | Setting::MultiAZ(_) => {
                    let (name, _) = setting.parameter();
                    return Err(refused(format!(
                        "not sent: ModifyDBCluster has no {name} parameter — change it on the member instances"
                    )));
                }
            };
            let out = call.send().await.map_err(|e| failed(c.error(&e)))?;
            let cluster = out.db_cluster();
            let pending = cluster
                .and_then(|x| x.pending_modified_values())
                .is_some_and(|p| match setting {
                    Setting::BackupRetentionPeriod(_) => p.backup_retention_period().is_some(),
                    _ => false,
                });
            let status = cluster.and_then(|x| x.status()).unwrap_or("sent");
            Ok(modified(
                format!("cluster {cluster_id} {status}"),
                setting,
                *apply_immediately,
                pending,
                out.request_id(),
            ))
        }
        Step::RevokeSecurityGroupIngress {
            group_id,
            protocol,
            from_port,
            to_port,
            cidr,
            ..
        } => {
            let out = c
                .ec2
                .revoke_security_group_ingress()
                .group_id(group_id)
                .ip_permissions(permission(protocol, *from_port, *to_port, cidr))
                .send()
                .await
                .map_err(|e| failed(c.error(&e)))?;
            // EC2 answers "true" with the permissions it did not find when
            // the rule is already gone; that is not a revoke.
            if !out.unknown_ip_permissions().is_empty() || out.r#return() == Some(false) {
                return Err(SourceError::Call {
                    call: step.api().to_string(),
                    message:
                        "InvalidPermission.NotFound: the rule no longer exists — press r to refresh"
                            .into(),
                    code: Some("InvalidPermission.NotFound".into()),
                    request_id: out.request_id().map(str::to_string),
                });
            }
            Ok(done(
                format!(
                    "revoked {cidr} {} from {group_id}",
                    ports(protocol, *from_port, *to_port)
                ),
                out.request_id(),
            ))
        }
        Step::AuthorizeSecurityGroupIngress {
            group_id,
            protocol,
            from_port,
            to_port,
            cidr,
            ..
        } => {
            let out = c
                .ec2
                .authorize_security_group_ingress()
                .group_id(group_id)
                .ip_permissions(permission(protocol, *from_port, *to_port, cidr))
                .send()
                .await
                .map_err(|e| failed(c.error(&e)))?;
            Ok(done(
                format!(
                    "authorized {cidr} {} on {group_id}",
                    ports(protocol, *from_port, *to_port)
                ),
                out.request_id(),
            ))
        }
    }
}

/// One IpPermission: the protocol, the ports when there are any, and the
/// CIDR as an IPv4 or IPv6 range — as `Step::parameters()` shows it.
pub(super) fn permission(
    protocol: &str,
    from_port: Option<i32>,
    to_port: Option<i32>,
    cidr: &str,
) -> IpPermission {
    let mut p = IpPermission::builder().ip_protocol(protocol);
    if let (Some(from), Some(to)) = (from_port, to_port) {
        p = p.from_port(from).to_port(to);
    }
    if crate::model::is_ipv6(cidr) {
        p = p.ipv6_ranges(Ipv6Range::builder().cidr_ipv6(cidr).build());
    } else {
        p = p.ip_ranges(IpRange::builder().cidr_ip(cidr).build());
    }
    p.build()
}

fn modified(
    message: String,
    setting: &Setting,
    apply_immediately: bool,
    pending: bool,
    request: Option<&str>,
) -> StepOutcome {
    // Only a change AWS holds for the window is "pending": the response
    // must show it in PendingModifiedValues.
    if !apply_immediately && setting.honours_window() && pending {
        let (name, value) = setting.parameter();
        return StepOutcome {
            message: with_request(
                format!("accepted: {name}={value} pending the next maintenance window"),
                request,
            ),
            pending_window: true,
            request_id: request.map(str::to_string),
        };
    }
    StepOutcome {
        message: with_request(message, request),
        pending_window: false,
        request_id: request.map(str::to_string),
    }
}

fn retention(days: u32) -> Result<i32, String> {
    i32::try_from(days).map_err(|_| format!("not sent: {days} days is not a valid retention"))
}

fn non_empty(values: &[String]) -> Option<Vec<String>> {
    (!values.is_empty()).then(|| values.to_vec())
}

fn restore_now(accounts: &[String]) -> String {
    if accounts.is_empty() {
        "restore attribute now empty: not shared".to_string()
    } else {
        format!("restore attribute now [{}]", accounts.join(", "))
    }
}

fn ports(protocol: &str, from: Option<i32>, to: Option<i32>) -> String {
    match (from, to) {
        (Some(f), Some(t)) if f == t => format!("{protocol} {f}"),
        (Some(f), Some(t)) => format!("{protocol} {f}-{t}"),
        _ if protocol == "-1" => "all traffic".to_string(),
        _ => protocol.to_string(),
    }
}

fn with_request(message: String, request: Option<&str>) -> String {
    match request {
        Some(id) if !id.is_empty() => format!("{message} (request {id})"),
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_picks_the_range_family_by_the_cidr() {
        let v4 = permission("tcp", Some(5432), Some(5432), "0.0.0.0/0");
        assert_eq!(v4.ip_protocol(), Some("tcp"));
        assert_eq!((v4.from_port(), v4.to_port()), (Some(5432), Some(5432)));
        assert_eq!(v4.ip_ranges()[0].cidr_ip(), Some("0.0.0.0/0"));
        assert!(v4.ipv6_ranges().is_empty());

        let v6 = permission("-1", None, None, "::/0");
        assert_eq!(v6.ipv6_ranges()[0].cidr_ipv6(), Some("::/0"));
        assert!(v6.ip_ranges().is_empty());
        assert_eq!((v6.from_port(), v6.to_port()), (None, None));
    }

    #[test]
    fn window_is_pending_only_when_aws_says_so() {
        let s = Setting::MultiAZ(true);
        assert!(modified("m".into(), &s, false, true, None).pending_window);
        assert!(!modified("m".into(), &s, false, false, None).pending_window);
        assert!(!modified("m".into(), &s, true, true, None).pending_window);
        let d = Setting::DeletionProtection(true);
        assert!(!modified("m".into(), &d, false, true, None).pending_window);
        assert_eq!(
            modified("m".into(), &s, false, true, Some("r-1")).message,
            "accepted: MultiAZ=true pending the next maintenance window (request r-1)"
        );
    }

    #[test]
    fn port_labels() {
        assert_eq!(ports("tcp", Some(5432), Some(5432)), "tcp 5432");
        assert_eq!(ports("tcp", Some(0), Some(65535)), "tcp 0-65535");
        assert_eq!(ports("-1", None, None), "all traffic");
    }
}
