//! The `aws` CLI command equivalent to each step, shown beside the API
//! call in the plan dialog and written to the audit log's undo data.

use super::step::{Setting, Step};
use crate::model::{SnapshotKind, is_ipv6};

impl Setting {
    /// The `aws` CLI flag for this setting.
    pub(super) fn cli_flag(&self) -> String {
        let flag = |on: bool, yes: &str, no: &str| if on { yes } else { no }.to_string();
        match self {
            Setting::PubliclyAccessible(v) => {
                flag(*v, "--publicly-accessible", "--no-publicly-accessible")
            }
            Setting::MultiAZ(v) => flag(*v, "--multi-az", "--no-multi-az"),
            Setting::BackupRetentionPeriod(v) => format!("--backup-retention-period {v}"),
            Setting::DeletionProtection(v) => {
                flag(*v, "--deletion-protection", "--no-deletion-protection")
            }
            Setting::AutoMinorVersionUpgrade(v) => flag(
                *v,
                "--auto-minor-version-upgrade",
                "--no-auto-minor-version-upgrade",
            ),
            Setting::EnableIAMDatabaseAuthentication(v) => flag(
                *v,
                "--enable-iam-database-authentication",
                "--no-enable-iam-database-authentication",
            ),
            Setting::CopyTagsToSnapshot(v) => {
                flag(*v, "--copy-tags-to-snapshot", "--no-copy-tags-to-snapshot")
            }
        }
    }
}

impl Step {
    /// The equivalent `aws` CLI command line.
    pub fn cli(&self) -> String {
        let region = self.region();
        match self {
            Step::ModifySnapshotAttribute {
                kind,
                snapshot_id,
                values_to_add,
                values_to_remove,
                ..
            } => {
                let (cmd, flag) = match kind {
                    SnapshotKind::Db => {
                        ("modify-db-snapshot-attribute", "--db-snapshot-identifier")
                    }
                    SnapshotKind::Cluster => (
                        "modify-db-cluster-snapshot-attribute",
                        "--db-cluster-snapshot-identifier",
                    ),
                };
                let mut line = format!(
                    "aws rds {cmd} --region {region} {flag} {snapshot_id} --attribute-name restore"
                );
                if !values_to_add.is_empty() {
                    line.push_str(&format!(" --values-to-add {}", values_to_add.join(" ")));
                }
                if !values_to_remove.is_empty() {
                    line.push_str(&format!(
                        " --values-to-remove {}",
                        values_to_remove.join(" ")
                    ));
                }
                line
            }
            Step::CreateDBSnapshot {
                instance_id,
                snapshot_id,
                ..
            } => format!(
                "aws rds create-db-snapshot --region {region} --db-instance-identifier {instance_id} --db-snapshot-identifier {snapshot_id}"
            ),
            Step::CopyDBSnapshot {
                source_snapshot_id,
                target_snapshot_id,
                kms_key_id,
                ..
            } => format!(
                "aws rds copy-db-snapshot --region {region} --source-db-snapshot-identifier {source_snapshot_id} --target-db-snapshot-identifier {target_snapshot_id} --kms-key-id {kms_key_id} --copy-tags"
            ),
            Step::DeleteDBSnapshot { snapshot_id, .. } => format!(
                "aws rds delete-db-snapshot --region {region} --db-snapshot-identifier {snapshot_id}"
            ),
            Step::RestoreDBClusterFromSnapshot {
                snapshot_id,
                cluster_id,
                engine,
                kms_key_id,
                ..
            } => format!(
                "aws rds restore-db-cluster-from-snapshot --region {region} --db-cluster-identifier {cluster_id} --snapshot-identifier {snapshot_id} --engine {engine} --kms-key-id {kms_key_id}"
            ),
            Step::RestoreDBInstanceFromDBSnapshot {
                snapshot_id,
                instance_id,
                carried_over,
                ..
            } => {
                let mut line = format!(
                    "aws rds restore-db-instance-from-db-snapshot --region {region} --db-instance-identifier {instance_id} --db-snapshot-identifier {snapshot_id}"
                );
                if let Some(class) = &carried_over.instance_class {
                    line.push_str(&format!(" --db-instance-class {class}"));
                }
                if let Some(group) = &carried_over.subnet_group {
                    line.push_str(&format!(" --db-subnet-group-name {group}"));
                }
                if !carried_over.security_group_ids.is_empty() {
                    line.push_str(&format!(
                        " --vpc-security-group-ids {}",
                        carried_over.security_group_ids.join(" ")
                    ));
                }
                if let Some(group) = &carried_over.parameter_group {
                    line.push_str(&format!(" --db-parameter-group-name {group}"));
                }
                line
            }
            Step::ModifyDBInstance {
                instance_id,
                setting,
                apply_immediately,
                ..
            } => format!(
                "aws rds modify-db-instance --region {region} --db-instance-identifier {instance_id} {} {}",
                setting.cli_flag(),
                immediacy_flag(*apply_immediately)
            ),
            Step::ModifyDBCluster {
                cluster_id,
                setting,
                apply_immediately,
                ..
            } => format!(
                "aws rds modify-db-cluster --region {region} --db-cluster-identifier {cluster_id} {} {}",
                setting.cli_flag(),
                immediacy_flag(*apply_immediately)
            ),
            Step::RevokeSecurityGroupIngress { group_id, .. } => format!(
                "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} --ip-permissions '{}'",
                self.permission_json()
            ),
            Step::AuthorizeSecurityGroupIngress { group_id, .. } => format!(
                "aws ec2 authorize-security-group-ingress --region {region} --group-id {group_id} --ip-permissions '{}'",
                self.permission_json()
            ),
        }
    }

    /// The IpPermissions JSON of a security-group step.
    fn permission_json(&self) -> String {
        match self {
            Step::RevokeSecurityGroupIngress {
                protocol,
                from_port,
                to_port,
                cidr,
                ..
            }
            | Step::AuthorizeSecurityGroupIngress {
                protocol,
                from_port,
                to_port,
                cidr,
                ..
            } => {
                let mut permission = serde_json::json!({ "IpProtocol": protocol });
                if let (Some(f), Some(t)) = (from_port, to_port) {
                    permission["FromPort"] = (*f).into();
                    permission["ToPort"] = (*t).into();
                }
                if is_ipv6(cidr) {
                    permission["Ipv6Ranges"] = serde_json::json!([{ "CidrIpv6": cidr }]);
                } else {
                    permission["IpRanges"] = serde_json::json!([{ "CidrIp": cidr }]);
                }
                serde_json::json!([permission]).to_string()
            }
            _ => String::new(),
        }
    }
}

fn immediacy_flag(apply_immediately: bool) -> &'static str {
    if apply_immediately {
        "--apply-immediately"
    } else {
        "--no-apply-immediately"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_attribute_and_revoke_lines_match_the_aws_cli() {
        let public = Step::ModifySnapshotAttribute {
            kind: SnapshotKind::Cluster,
            region: "us-east-1".into(),
            snapshot_id: "orders-final".into(),
            values_to_add: Vec::new(),
            values_to_remove: vec!["all".into()],
        };
        assert_eq!(
            public.cli(),
            "aws rds modify-db-cluster-snapshot-attribute --region us-east-1 --db-cluster-snapshot-identifier orders-final --attribute-name restore --values-to-remove all"
        );
        let revoke = Step::RevokeSecurityGroupIngress {
            region: "eu-west-1".into(),
            group_id: "sg-1".into(),
            protocol: "tcp".into(),
            from_port: Some(5432),
            to_port: Some(5432),
            cidr: "::/0".into(),
        };
        assert_eq!(
            revoke.cli(),
            r#"aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-1 --ip-permissions '[{"FromPort":5432,"IpProtocol":"tcp","Ipv6Ranges":[{"CidrIpv6":"::/0"}],"ToPort":5432}]'"#
        );
        let window = Step::ModifyDBInstance {
            region: "us-east-1".into(),
            instance_id: "db".into(),
            setting: Setting::MultiAZ(true),
            apply_immediately: false,
            from_no_backups: false,
        };
        assert_eq!(
            window.cli(),
            "aws rds modify-db-instance --region us-east-1 --db-instance-identifier db --multi-az --no-apply-immediately"
        );
    }
}
