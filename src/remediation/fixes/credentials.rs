//! Certificates and the master password: move an instance to the current
//! CA (ModifyDBInstance CACertificateIdentifier), and hand the master
//! password to Secrets Manager (ModifyDBInstance / ModifyDBCluster
//! ManageMasterUserPassword).

use aws_sdk_rds::operation::RequestId;
use serde::{Deserialize, Serialize};
use std::time::Duration;

use super::support::{instance_mut, not_found};
use crate::model::{CURRENT_CA, Certificate, Fleet, ResourceRef, ResourceType, is_retired_ca};
use crate::remediation::{
    Call, Caveat, Fix, FixInput, Fixing, Impact, NoRemediation, Param, PlannedStep, Reversibility,
    Sent, Verify,
};
use crate::source::aws::RegionClients;
use crate::source::demo::DemoChange;
use crate::source::{Fact, SourceError, StepOutcome};

/// Answers `ca-certificate-expiring`.
pub struct RotateCertificate;

pub static ROTATE_CERTIFICATE: RotateCertificate = RotateCertificate;

const ROTATE: &str = "move to the current certificate authority";

impl Fix for RotateCertificate {
    fn summary(&self) -> &'static str {
        ROTATE
    }

    fn plan(&self, input: &FixInput<'_>) -> Result<Fixing, NoRemediation> {
        let finding = input.finding;
        let instance = input
            .fleet
            .instance(&finding.region, &finding.resource_id)
            .ok_or_else(|| input.gone())?;
        if instance.in_multi_az_db_cluster() {
            return Err(NoRemediation::ByHand(
                format!("a Multi-AZ DB cluster changes its CA for all members: modify-db-cluster --ca-certificate-identifier {CURRENT_CA}").into(),
            ));
        }
        let previous = instance.ca_certificate.clone();
        if previous.as_deref() == Some(CURRENT_CA) {
            return Err(NoRemediation::ByHand(
                format!("already on {CURRENT_CA}, whose server certificates RDS renews itself: if this one is not renewed, ask AWS support, or move to rds-ca-rsa4096-g1").into(),
            ));
        }
        let call = ModifyDBInstanceCertificate {
            region: finding.region.clone(),
            instance_id: finding.resource_id.clone(),
            ca: CURRENT_CA.to_string(),
            previous,
            apply_immediately: input.options.apply_immediately,
        };
        Ok(Fixing {
            steps: vec![PlannedStep::new(call, ROTATE)],
            caveats: vec![
                Caveat::warning(
                    "the instance restarts unless its engine version rotates without one (SupportsCertificateRotationWithoutRestart); CertificateRotationRestart is not sent, so AWS decides as it does by default",
                ),
                Caveat::warning(
                    "clients that verify the server need the new trust bundle (global-bundle.pem) before the change",
                ),
            ],
            choices: Vec::new(),
        })
    }
}

/// ModifyDBInstance with a new CACertificateIdentifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModifyDBInstanceCertificate {
    pub region: String,
    pub instance_id: String,
    pub ca: String,
    /// The CA before, for undo.
    pub previous: Option<String>,
    pub apply_immediately: bool,
}

impl Call for ModifyDBInstanceCertificate {
    fn api(&self) -> &'static str {
        "rds:ModifyDBInstance"
    }

    fn parameters(&self) -> Vec<Param> {
        vec![
            Param::text("DBInstanceIdentifier", &self.instance_id),
            Param::text("CACertificateIdentifier", &self.ca),
            Param::flag("ApplyImmediately", self.apply_immediately),
        ]
    }

    fn target(&self) -> ResourceRef {
        ResourceRef::new(ResourceType::DbInstance, &self.region, &self.instance_id)
    }

    /// A restart, unless the engine rotates without one.
    fn impact(&self) -> Impact {
        Impact::Outage
    }

    /// Back to the CA before, unless AWS retired it.
    fn reversibility(&self) -> Reversibility {
        match &self.previous {
            Some(previous) if !is_retired_ca(previous) => Reversibility::Undo(Box::new(
                ModifyDBInstanceCertificate {
                    ca: previous.clone(),
                    previous: Some(self.ca.clone()),
                    ..self.clone()
                }
                .into(),
            )),
            _ => Reversibility::Irreversible("the CA before is retired or unknown"),
        }
    }

    fn verify(&self) -> Verify {
        Verify {
            deleting: false,
            not_pending: Some("CACertificateIdentifier"),
        }
    }

    fn honours_window(&self) -> bool {
        true
    }

    fn landed(&self, now: &Fleet) -> Option<bool> {
        let instance = now.instance(&self.region, &self.instance_id)?;
        (instance.ca_certificate.as_deref() == Some(self.ca.as_str())).then_some(true)
    }

    fn check_after(&self, now: &Fleet) -> Result<(), String> {
        let instance = now
            .instance(&self.region, &self.instance_id)
            .ok_or_else(|| format!("{} is not there to compare", self.instance_id))?;
        match instance.ca_certificate.as_deref() {
            Some(ca) if ca == self.ca => Ok(()),
            other => Err(format!(
                "CACertificateIdentifier is {}, not {}",
                other.unwrap_or("not reported"),
                self.ca
            )),
        }
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let out = aws
                .rds_once
                .modify_db_instance()
                .db_instance_identifier(&self.instance_id)
                .ca_certificate_identifier(&self.ca)
                .apply_immediately(self.apply_immediately)
                .send()
                .await
                .map_err(aws.fail(self.api()))?;
            let instance = out.db_instance();
            let pending = instance
                .and_then(|i| i.pending_modified_values())
                .is_some_and(|p| p.ca_certificate_identifier().is_some());
            let status = instance.and_then(|i| i.db_instance_status());
            Ok(self.outcome(status, pending && !self.apply_immediately, out.request_id()))
        })
    }

    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        let instance = instance_mut(fleet, &self.region, &self.instance_id)?;
        if !self.apply_immediately {
            instance.pending_changes.push(self.change());
            return Ok(DemoChange::done(self.outcome(None, true, None)));
        }
        instance.status = "modifying".into();
        let (ca, target) = (self.ca.clone(), self.target());
        Ok(DemoChange::then(
            self.outcome(Some("modifying"), false, None),
            move |fleet| {
                if let Ok(i) = instance_mut(fleet, &target.region, &target.id) {
                    i.ca_certificate = Some(ca.clone());
                    i.certificate = Some(Certificate {
                        ca: Some(ca),
                        valid_till: Some(a_year_from_now()),
                    });
                    i.status = "available".into();
                }
            },
        ))
    }
}

impl ModifyDBInstanceCertificate {
    fn change(&self) -> String {
        format!("CACertificateIdentifier={}", self.ca)
    }

    fn outcome(&self, status: Option<&str>, pending: bool, request: Option<&str>) -> StepOutcome {
        let fact = if pending {
            Fact::PendingWindow {
                change: self.change(),
            }
        } else {
            Fact::Status {
                resource: self.target(),
                status: status.unwrap_or("sent").to_string(),
            }
        };
        StepOutcome::new(vec![fact], request)
    }
}

/// A new server certificate in the demo: RDS issues them for about a year.
fn a_year_from_now() -> String {
    let year = std::time::SystemTime::now() + Duration::from_secs(365 * 24 * 60 * 60);
    humantime::format_rfc3339_seconds(year).to_string()
}

/// Answers `password-not-managed`.
pub struct ManagePassword;

pub static MANAGE_PASSWORD: ManagePassword = ManagePassword;

const MANAGE: &str = "let Secrets Manager keep and rotate the master password";

impl Fix for ManagePassword {
    fn summary(&self) -> &'static str {
        MANAGE
    }

    fn plan(&self, input: &FixInput<'_>) -> Result<Fixing, NoRemediation> {
        let finding = input.finding;
        if input.fleet.status_of(&finding.resource_ref()).is_none() {
            return Err(input.gone());
        }
        let call = ManageMasterUserPassword {
            region: finding.region.clone(),
            kind: match finding.resource_type {
                ResourceType::DbCluster => PasswordOwner::Cluster,
                _ => PasswordOwner::Instance,
            },
            id: finding.resource_id.clone(),
        };
        Ok(Fixing {
            steps: vec![PlannedStep::new(call, MANAGE)],
            caveats: vec![
                Caveat::warning(
                    "RDS replaces the master password with one it generates and keeps in Secrets Manager: clients that log in as the master user must read the secret",
                ),
                Caveat::warning(
                    "the secret is encrypted with the aws/secretsmanager key (MasterUserSecretKmsKeyId is not sent) and rotated every 7 days by default",
                ),
            ],
            choices: Vec::new(),
        })
    }
}

/// Whose master password: ModifyDBInstance or ModifyDBCluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PasswordOwner {
    Instance,
    Cluster,
}

/// ModifyDBInstance / ModifyDBCluster with ManageMasterUserPassword=true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManageMasterUserPassword {
    pub region: String,
    pub kind: PasswordOwner,
    pub id: String,
}

impl ManageMasterUserPassword {
    fn managed(&self, fleet: &Fleet) -> Option<bool> {
        match self.kind {
            PasswordOwner::Instance => fleet.instance(&self.region, &self.id)?.master_user_secret,
            PasswordOwner::Cluster => fleet.cluster(&self.region, &self.id)?.master_user_secret,
        }
    }
}

impl Call for ManageMasterUserPassword {
    fn api(&self) -> &'static str {
        match self.kind {
            PasswordOwner::Instance => "rds:ModifyDBInstance",
            PasswordOwner::Cluster => "rds:ModifyDBCluster",
        }
    }

    /// ApplyImmediately is explicit: a password change is applied as
    /// soon as possible either way, and the plan says so.
    fn parameters(&self) -> Vec<Param> {
        let id = match self.kind {
            PasswordOwner::Instance => "DBInstanceIdentifier",
            PasswordOwner::Cluster => "DBClusterIdentifier",
        };
        vec![
            Param::text(id, &self.id),
            Param::flag("ManageMasterUserPassword", true),
            Param::flag("ApplyImmediately", true),
        ]
    }

    fn target(&self) -> ResourceRef {
        let kind = match self.kind {
            PasswordOwner::Instance => ResourceType::DbInstance,
            PasswordOwner::Cluster => ResourceType::DbCluster,
        };
        ResourceRef::new(kind, &self.region, &self.id)
    }

    /// Clients holding the old password are refused once it is replaced.
    fn impact(&self) -> Impact {
        Impact::Outage
    }

    fn reversibility(&self) -> Reversibility {
        Reversibility::Irreversible(
            "turning management off needs a new MasterUserPassword, and RDS deletes the secret",
        )
    }

    fn landed(&self, now: &Fleet) -> Option<bool> {
        self.managed(now)
    }

    fn check_after(&self, now: &Fleet) -> Result<(), String> {
        match self.managed(now) {
            Some(true) => Ok(()),
            _ => Err("MasterUserSecret is not reported: the password is not managed".into()),
        }
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let (status, request) = match self.kind {
                PasswordOwner::Instance => {
                    let out = aws
                        .rds_once
                        .modify_db_instance()
                        .db_instance_identifier(&self.id)
                        .manage_master_user_password(true)
                        .apply_immediately(true)
                        .send()
                        .await
                        .map_err(aws.fail(self.api()))?;
                    let status = out.db_instance().and_then(|i| i.db_instance_status());
                    (
                        status.map(str::to_string),
                        out.request_id().map(str::to_string),
                    )
                }
                PasswordOwner::Cluster => {
                    let out = aws
                        .rds_once
                        .modify_db_cluster()
                        .db_cluster_identifier(&self.id)
                        .manage_master_user_password(true)
                        .apply_immediately(true)
                        .send()
                        .await
                        .map_err(aws.fail(self.api()))?;
                    let status = out.db_cluster().and_then(|c| c.status());
                    (
                        status.map(str::to_string),
                        out.request_id().map(str::to_string),
                    )
                }
            };
            let fact = Fact::Status {
                resource: self.target(),
                status: status.unwrap_or_else(|| "sent".into()),
            };
            Ok(StepOutcome::new(vec![fact], request.as_deref()))
        })
    }

    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        let target = self.target();
        let managed = match self.kind {
            PasswordOwner::Instance => fleet
                .instances
                .iter_mut()
                .find(|i| i.region == self.region && i.id == self.id)
                .map(|i| &mut i.master_user_secret),
            PasswordOwner::Cluster => fleet
                .clusters
                .iter_mut()
                .find(|c| c.region == self.region && c.id == self.id)
                .map(|c| &mut c.master_user_secret),
        }
        .ok_or_else(|| not_found(&target))?;
        *managed = Some(true);
        let fact = Fact::Status {
            resource: target,
            status: "available".into(),
        };
        Ok(DemoChange::done(StepOutcome::new(vec![fact], None)))
    }
}
