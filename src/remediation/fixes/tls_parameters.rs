//! Require TLS in the parameter group: `rds.force_ssl=1` (PostgreSQL,
//! SQL Server) or `require_secure_transport=ON` (MySQL, MariaDB), set with
//! ModifyDBParameterGroup on the instance's group, or
//! ModifyDBClusterParameterGroup on an Aurora or Multi-AZ DB cluster's.
//! AWS's default groups cannot be modified: for those the plan is advice.

use aws_sdk_rds::operation::RequestId;
use aws_sdk_rds::types::{ApplyMethod, Parameter};
use serde::{Deserialize, Serialize};

use super::support::not_found;
use crate::model::{
    Fleet, ParameterGroupKind, ResourceRef, ResourceType, tls_default_value, tls_on_value,
    tls_parameter,
};
use crate::remediation::{
    Call, Caveat, Fix, FixInput, Fixing, Impact, NoRemediation, Param, PlannedStep, Reversibility,
    Sent, Step, Value,
};
use crate::source::aws::RegionClients;
use crate::source::demo::DemoChange;
use crate::source::{SourceError, StepOutcome};

/// Answers `tls-not-enforced`.
pub struct RequireTls;

pub static REQUIRE_TLS: RequireTls = RequireTls;

const PURPOSE: &str = "refuse clients without TLS";

/// `rds.force_ssl` is dynamic on PostgreSQL and Aurora PostgreSQL, and
/// `require_secure_transport` on MySQL, MariaDB and Aurora MySQL: they
/// apply at once. On SQL Server `rds.force_ssl` is static.
fn apply_method(engine: &str) -> &'static str {
    if engine.starts_with("sqlserver") {
        "pending-reboot"
    } else {
        "immediate"
    }
}

/// What the plan needs to know of the finding's database.
struct Subject<'f> {
    kind: ParameterGroupKind,
    engine: &'f str,
    version: &'f str,
    group: &'f str,
}

fn subject<'f>(input: &FixInput<'f>) -> Result<Subject<'f>, NoRemediation> {
    let (region, id) = (&input.finding.region, &input.finding.resource_id);
    let found = match input.finding.resource_type {
        ResourceType::DbCluster => input.fleet.cluster(region, id).map(|c| Subject {
            kind: ParameterGroupKind::Cluster,
            engine: &c.engine,
            version: &c.engine_version,
            group: c.parameter_group.as_deref().unwrap_or_default(),
        }),
        _ => input.fleet.instance(region, id).map(|i| Subject {
            kind: ParameterGroupKind::Db,
            engine: &i.engine,
            version: &i.engine_version,
            group: i.parameter_group.as_deref().unwrap_or_default(),
        }),
    };
    let found = found.ok_or_else(|| input.gone())?;
    if found.group.is_empty() {
        return Err(NoRemediation::Stale(
            "no parameter group is reported".into(),
        ));
    }
    Ok(found)
}

impl Fix for RequireTls {
    fn summary(&self) -> &'static str {
        PURPOSE
    }

    fn plan(&self, input: &FixInput<'_>) -> Result<Fixing, NoRemediation> {
        let s = subject(input)?;
        let region = &input.finding.region;
        let parameter = tls_parameter(s.engine).ok_or_else(|| {
            NoRemediation::NotApplicable(format!("{} has no TLS parameter", s.engine))
        })?;
        let on = tls_on_value(parameter);
        let group = input
            .index
            .parameter_group(region, s.kind, s.group)
            .ok_or_else(|| NoRemediation::Stale(format!("{} was not loaded", s.group)))?;
        if group.is_default() {
            return Err(NoRemediation::ByHand(
                format!(
                    "{name} is a default group, which AWS does not let anyone modify: create a custom {label} of the same family with {parameter}={on}, then attach it to {id} (a newly attached group applies after a reboot)",
                    name = s.group,
                    label = s.kind.label(),
                    id = input.finding.resource_id,
                )
                .into(),
            ));
        }
        let previous = group
            .values
            .get(parameter)
            .cloned()
            .unwrap_or_else(|| tls_default_value(s.engine, s.version).to_string());
        let change = ParameterChange {
            region: region.clone(),
            group: s.group.to_string(),
            parameter: parameter.to_string(),
            value: on.to_string(),
            previous,
            apply_method: apply_method(s.engine).to_string(),
            resource_id: input.finding.resource_id.clone(),
        };
        let mut caveats = vec![Caveat::warning(
            "clients that connect without TLS are refused from then on; check that every client can use TLS first",
        )];
        let users = users_of(input.fleet, &change, s.kind);
        if users.len() > 1 {
            caveats.push(Caveat::warning(format!(
                "{} is shared: the change applies to {} at once",
                s.group,
                users.join(", ")
            )));
        }
        if change.apply_method == "pending-reboot" {
            caveats.push(Caveat::warning(
                "rds.force_ssl is static on SQL Server: it takes effect at the next reboot",
            ));
        }
        let step: Step = match s.kind {
            ParameterGroupKind::Db => ModifyDBParameterGroup(change).into(),
            ParameterGroupKind::Cluster => ModifyDBClusterParameterGroup(change).into(),
        };
        Ok(Fixing {
            steps: vec![PlannedStep::new(step, PURPOSE)],
            caveats,
            choices: Vec::new(),
        })
    }
}

/// Every instance (DB group) or cluster (cluster group) using the group.
fn users_of(fleet: &Fleet, change: &ParameterChange, kind: ParameterGroupKind) -> Vec<String> {
    let named = |g: &Option<String>| g.as_deref() == Some(change.group.as_str());
    match kind {
        ParameterGroupKind::Db => fleet
            .instances
            .iter()
            .filter(|i| i.region == change.region && named(&i.parameter_group))
            .map(|i| i.id.clone())
            .collect(),
        ParameterGroupKind::Cluster => fleet
            .clusters
            .iter()
            .filter(|c| c.region == change.region && named(&c.parameter_group))
            .map(|c| c.id.clone())
            .collect(),
    }
}

/// One parameter of one group set to one value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParameterChange {
    pub region: String,
    pub group: String,
    pub parameter: String,
    pub value: String,
    /// The value before, as set or as the engine's default: what undo sets.
    pub previous: String,
    /// `immediate` or `pending-reboot`.
    pub apply_method: String,
    /// The instance (DB group) or cluster (cluster group) whose finding
    /// asked for it: what the executor re-reads.
    pub resource_id: String,
}

impl ParameterChange {
    fn parameters(&self, group_name: &'static str) -> Vec<Param> {
        vec![
            Param::text(group_name, &self.group),
            Param {
                name: "Parameters",
                value: Value::Json(serde_json::json!([{
                    "ParameterName": self.parameter,
                    "ParameterValue": self.value,
                    "ApplyMethod": self.apply_method,
                }])),
            },
        ]
    }

    fn sdk_parameter(&self) -> Parameter {
        Parameter::builder()
            .parameter_name(&self.parameter)
            .parameter_value(&self.value)
            .apply_method(ApplyMethod::from(self.apply_method.as_str()))
            .build()
    }

    fn reversed(&self) -> ParameterChange {
        ParameterChange {
            value: self.previous.clone(),
            previous: self.value.clone(),
            ..self.clone()
        }
    }

    /// The demo keeps its groups in the fleet: set the value there.
    fn on_demo(
        &self,
        fleet: &mut Fleet,
        kind: ParameterGroupKind,
    ) -> Result<DemoChange, SourceError> {
        let group = fleet
            .parameter_groups
            .iter_mut()
            .find(|g| g.region == self.region && g.kind == kind && g.name == self.group)
            .ok_or_else(|| SourceError::NotFound {
                resource: format!("{} {}", kind.label(), self.group),
            })?;
        group
            .values
            .insert(self.parameter.clone(), self.value.clone());
        Ok(DemoChange::done(StepOutcome::default()))
    }
}

/// ModifyDBParameterGroup with one parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModifyDBParameterGroup(pub ParameterChange);

/// ModifyDBClusterParameterGroup with one parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModifyDBClusterParameterGroup(pub ParameterChange);

/// What both calls answer alike.
macro_rules! parameter_call {
    ($api:literal, $group_name:literal, $kind:expr, $target:expr) => {
        fn api(&self) -> &'static str {
            $api
        }
        fn parameters(&self) -> Vec<Param> {
            self.0.parameters($group_name)
        }
        fn target(&self) -> ResourceRef {
            ResourceRef::new($target, &self.0.region, &self.0.resource_id)
        }
        /// Clients without TLS are refused: an outage for them.
        fn impact(&self) -> Impact {
            Impact::Outage
        }
        fn reversibility(&self) -> Reversibility {
            Reversibility::Undo(Box::new(Self(self.0.reversed()).into()))
        }
        /// A re-read of the instance or cluster does not show the
        /// group's values.
        fn landed(&self, _now: &Fleet) -> Option<bool> {
            None
        }
        /// Setting a value twice leaves it set.
        fn idempotent(&self) -> bool {
            true
        }
        fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
            if fleet.status_of(&self.target()).is_none() {
                return Err(not_found(&self.target()));
            }
            self.0.on_demo(fleet, $kind)
        }
    };
}

impl Call for ModifyDBParameterGroup {
    parameter_call!(
        "rds:ModifyDBParameterGroup",
        "DBParameterGroupName",
        ParameterGroupKind::Db,
        ResourceType::DbInstance
    );

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let out = aws
                .rds_once
                .modify_db_parameter_group()
                .db_parameter_group_name(&self.0.group)
                .parameters(self.0.sdk_parameter())
                .send()
                .await
                .map_err(aws.fail(self.api()))?;
            Ok(StepOutcome::new(Vec::new(), out.request_id()))
        })
    }
}

impl Call for ModifyDBClusterParameterGroup {
    parameter_call!(
        "rds:ModifyDBClusterParameterGroup",
        "DBClusterParameterGroupName",
        ParameterGroupKind::Cluster,
        ResourceType::DbCluster
    );

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let out = aws
                .rds_once
                .modify_db_cluster_parameter_group()
                .db_cluster_parameter_group_name(&self.0.group)
                .parameters(self.0.sdk_parameter())
                .send()
                .await
                .map_err(aws.fail(self.api()))?;
            Ok(StepOutcome::new(Vec::new(), out.request_id()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change() -> ParameterChange {
        ParameterChange {
            region: "us-east-1".into(),
            group: "billing-pg".into(),
            parameter: "rds.force_ssl".into(),
            value: "1".into(),
            previous: "0".into(),
            apply_method: "immediate".into(),
            resource_id: "billing".into(),
        }
    }

    #[test]
    fn the_cli_line_sends_the_parameter_as_json_and_undo_sets_it_back() {
        let call = ModifyDBParameterGroup(change());
        let step: Step = call.clone().into();
        assert_eq!(
            step.cli(),
            r#"aws rds modify-db-parameter-group --region us-east-1 --db-parameter-group-name billing-pg --parameters '[{"ApplyMethod":"immediate","ParameterName":"rds.force_ssl","ParameterValue":"1"}]'"#
        );
        let Reversibility::Undo(undo) = call.reversibility() else {
            panic!("one call undoes it");
        };
        assert!(
            undo.cli().contains(r#""ParameterValue":"0""#),
            "{}",
            undo.cli()
        );
        assert!(call.impact().needs_typed_confirmation());
    }
}
