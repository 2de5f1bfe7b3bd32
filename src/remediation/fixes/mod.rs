//! The registry of remediation kinds. Each module is one kind: which
//! findings it answers and how (its `Fix`), and the AWS calls it sends
//! (each a `Call`: parameters, impact, undo, SDK send, demo transition,
//! the re-read that verifies it). The rule catalogue names the fix beside
//! each rule's check.
//!
//! Adding a kind: write `fixes/<kind>.rs`, declare it below and list its
//! calls in the registry, and name its fix in `rules/catalogue.rs`.

use serde::{Deserialize, Serialize};

use super::Call;

pub mod carry;
pub mod cluster_restore;
pub mod credentials;
pub mod instance_encryption;
pub mod minor_upgrades;
pub mod settings;
pub mod snapshot_encryption;
pub mod snapshot_key;
pub mod snapshot_sharing;
mod support;
pub mod tls_parameters;
pub mod world_ingress;

/// The `Step` enum of every call the fix modules send: one line per
/// module, `module => [CallType, …]`. (The modules are declared outside
/// the macro so rustfmt and the compiler's module tree see them alike.)
macro_rules! registry {
    ($($module:ident => [$($call:ident),* $(,)?]),* $(,)?) => {

        /// One AWS call of a plan, shown exactly as it will be sent.
        /// Serialized with a `call` tag (the audit log's `step` and `undo`).
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(tag = "call")]
        pub enum Step {
            $($($call($module::$call),)*)*
        }

        impl Step {
            /// The call, for what every kind of call can say.
            pub(crate) fn call(&self) -> &dyn Call {
                match self {
                    $($(Step::$call(call) => call,)*)*
                }
            }
        }

        $($(
            impl From<$module::$call> for Step {
                fn from(call: $module::$call) -> Self {
                    Step::$call(call)
                }
            }
        )*)*
    };
}

registry! {
    snapshot_sharing => [ModifySnapshotAttribute],
    snapshot_encryption => [CopyDBSnapshot, DeleteDBSnapshot, CopyDBClusterSnapshot],
    cluster_restore => [RestoreDBClusterFromSnapshot, CreateDBInstance],
    instance_encryption => [CreateDBSnapshot, RestoreDBInstanceFromDBSnapshot],
    settings => [ModifyDBInstance, ModifyDBCluster],
    world_ingress => [RevokeSecurityGroupIngress, AuthorizeSecurityGroupIngress],
    tls_parameters => [ModifyDBParameterGroup, ModifyDBClusterParameterGroup],
    credentials => [ModifyDBInstanceCertificate, ManageMasterUserPassword],
}
