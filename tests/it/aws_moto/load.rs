//! Loading and refreshing from moto: flags, findings, regions, errors.

use super::{ids_for, set};
use rdsight::cli::SourceArgs;
use rdsight::config::RuleConfig;
use rdsight::model::{ResourceRef, ResourceType, SnapshotKind};
use rdsight::rules::{self, RuleId};
use rdsight::source::aws::AwsSource;
use rdsight::source::{FleetSource, SourceError};
use std::collections::BTreeSet;
use std::time::Duration;

use crate::support::moto;
use crate::support::moto::{MOTO_ACCOUNT, Moto};
use crate::support::seed::{EU, PG_PORT, UNTRUSTED, US, WORLD_IPV4, security_group, seed, source};

// ------------------------------------------------------------------- load

#[tokio::test]
async fn load_sees_the_seeded_fleet_with_the_right_flags_and_findings() {
    let moto = Moto::start();
    let seeded = seed(&moto, US).await;
    let source = source(&moto, &[US]).await;
    let fleet = source.load().await.unwrap();

    assert_eq!(fleet.account, MOTO_ACCOUNT);
    assert_eq!(fleet.regions, vec![US]);
    assert!(fleet.load_errors.is_empty(), "{:?}", fleet.load_errors);

    let orders = fleet.instance(US, "orders-db").expect("orders-db loaded");
    assert_eq!(orders.engine, "postgres");
    assert_eq!(orders.status, "available");
    assert!(orders.publicly_accessible);
    assert!(!orders.storage_encrypted);
    assert_eq!(orders.backup_retention_days, 0);
    assert_eq!(orders.port, 5432);
    assert_eq!(orders.security_group_ids, vec![seeded.open_sg.clone()]);
    assert_eq!(orders.cluster_id, None);
    assert!(orders.arn.as_deref().unwrap().contains(MOTO_ACCOUNT));

    let ledger = fleet.cluster(US, "ledger").expect("ledger loaded");
    assert!(ledger.is_aurora());
    assert!(ledger.storage_encrypted);
    assert_eq!(ledger.security_group_ids, vec![seeded.private_sg.clone()]);
    assert!(
        ledger
            .members
            .iter()
            .any(|m| m.instance_id == "ledger-1" && m.is_writer),
        "{:?}",
        ledger.members
    );
    let member = fleet.instance(US, "ledger-1").expect("ledger-1 loaded");
    assert_eq!(member.cluster_id.as_deref(), Some("ledger"));

    let public = fleet
        .snapshot(US, SnapshotKind::Db, "orders-public")
        .unwrap();
    assert!(public.shared_with.iter().any(|a| a == "all"));
    assert!(public.is_public());
    assert_eq!(public.snapshot_type, "manual");
    assert_eq!(public.source_id, "orders-db");
    let shared = fleet
        .snapshot(US, SnapshotKind::Db, "orders-shared")
        .unwrap();
    assert_eq!(shared.shared_with, vec![UNTRUSTED]);
    let cluster_snapshot = fleet
        .snapshot(US, SnapshotKind::Cluster, "ledger-manual")
        .unwrap();
    assert_eq!(cluster_snapshot.source_id, "ledger");
    assert_eq!(cluster_snapshot.snapshot_type, "manual");
    assert!(cluster_snapshot.encrypted);
    assert!(cluster_snapshot.shared_with.is_empty());

    let open = fleet.security_group(US, &seeded.open_sg).unwrap();
    assert_eq!(open.name, "db-open");
    assert!(
        open.ingress.iter().any(|r| r.protocol == "tcp"
            && r.from_port == Some(PG_PORT)
            && r.to_port == Some(PG_PORT)
            && r.ipv4_ranges.iter().any(|c| c == WORLD_IPV4)),
        "{:?}",
        open.ingress
    );
    let private = fleet.security_group(US, &seeded.private_sg).unwrap();
    assert!(private.ingress.iter().all(|r| r.world_ranges().is_empty()));
    // Every VPC has a default group; moto's carries the account id.
    assert!(fleet.security_groups.iter().any(|g| g.name == "default"));

    let findings = rules::evaluate(&fleet, &RuleConfig::default());
    assert_eq!(
        ids_for(&findings, RuleId::SnapshotPublic),
        set(&["orders-public"])
    );
    assert_eq!(
        ids_for(&findings, RuleId::SnapshotSharedUntrusted),
        set(&["orders-shared"])
    );
    assert_eq!(
        ids_for(&findings, RuleId::InstancePublic),
        set(&["orders-db"])
    );
    assert_eq!(
        ids_for(&findings, RuleId::SgOpenDbPort),
        set(&["orders-db"])
    );
    assert_eq!(
        ids_for(&findings, RuleId::BackupsDisabled),
        set(&["orders-db"])
    );
    assert!(ids_for(&findings, RuleId::InstanceUnencrypted).contains("orders-db"));
    assert!(!ids_for(&findings, RuleId::ClusterUnencrypted).contains("ledger"));
}

#[tokio::test]
async fn load_covers_every_region_asked_for() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let eu_ec2 = moto.ec2(EU).await;
    let eu_sg = security_group(&eu_ec2, "db-eu", "10.1.0.0/16").await;
    moto.rds(EU)
        .await
        .create_db_instance()
        .db_instance_identifier("eu-orders")
        .engine("mysql")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("eu_admin")
        .master_user_password("not-a-secret-3")
        .storage_encrypted(true)
        .vpc_security_group_ids(&eu_sg)
        .send()
        .await
        .unwrap();

    let fleet = source(&moto, &[US, EU]).await.load().await.unwrap();
    assert_eq!(fleet.regions, vec![US, EU]);
    assert!(fleet.load_errors.is_empty(), "{:?}", fleet.load_errors);
    let eu = fleet.instance(EU, "eu-orders").expect("eu instance loaded");
    assert!(eu.storage_encrypted);
    assert_eq!(eu.security_group_ids, vec![eu_sg.clone()]);
    assert!(fleet.instance(US, "eu-orders").is_none());
    assert!(fleet.instance(US, "orders-db").is_some());
    assert!(fleet.security_group(EU, &eu_sg).is_some());
    assert_eq!(fleet.account, MOTO_ACCOUNT);

    // --all-regions asks the home region which regions are enabled.
    let args = SourceArgs {
        endpoint_url: Some(moto.url.clone()),
        all_regions: true,
        ..SourceArgs::default()
    };
    let all = AwsSource::connect_with(&args, |loader| {
        moto::with_test_credentials(loader).region(aws_sdk_rds::config::Region::new(US))
    })
    .await
    .unwrap();
    let regions = all.regions();
    assert!(regions.contains(&US.to_string()) && regions.contains(&EU.to_string()));
    assert!(
        regions.windows(2).all(|w| w[0] < w[1]),
        "sorted, no repeats"
    );
    let fleet = all.load().await.unwrap();
    assert_eq!(fleet.regions, regions);
    assert!(fleet.load_errors.is_empty(), "{:?}", fleet.load_errors);
    assert!(fleet.instance(EU, "eu-orders").is_some());
    assert!(fleet.instance(US, "orders-db").is_some());
}

#[tokio::test]
async fn a_failing_region_becomes_load_errors_and_the_rest_still_loads() {
    let moto = Moto::start();
    seed(&moto, US).await;
    // No such region: moto answers 500, real AWS has no endpoint for it.
    // Either way every call there fails while us-east-1 answers.
    let fleet = source(&moto, &[US, "mars-east-1"])
        .await
        .load()
        .await
        .unwrap();
    assert!(fleet.instance(US, "orders-db").is_some());
    assert!(!fleet.load_errors.is_empty());
    for error in &fleet.load_errors {
        assert_eq!(error.region, "mars-east-1", "{error}");
        assert!(!error.message.is_empty() && !error.message.contains('\n'));
    }
    let whats: BTreeSet<&str> = fleet.load_errors.iter().map(|e| e.what.as_str()).collect();
    assert!(whats.contains("db-instances") && whats.contains("security-groups"));
}

#[tokio::test]
async fn an_unreachable_endpoint_is_one_clear_error() {
    let url = format!("http://127.0.0.1:{}", moto::free_port());
    let args = SourceArgs {
        endpoint_url: Some(url.clone()),
        region: vec![US.into()],
        ..SourceArgs::default()
    };
    // The account is asked of STS before anything loads, so a dead
    // endpoint is one line at connect, within the connect timeout.
    let started = std::time::Instant::now();
    let err = match AwsSource::connect_with(&args, moto::with_test_credentials).await {
        Ok(_) => panic!("connected to a closed port"),
        Err(e) => e,
    };
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let message = err.to_string();
    assert!(matches!(err, SourceError::Unavailable(_)), "{err:?}");
    assert!(message.contains(&url), "{message}");
    assert!(message.contains("cannot reach AWS"), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

// ---------------------------------------------------------------- refresh

#[tokio::test]
async fn refresh_reads_one_resource_and_a_deleted_one_is_an_empty_fragment() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let source = source(&moto, &[US]).await;
    let rds = moto.rds(US).await;
    rds.create_db_snapshot()
        .db_instance_identifier("orders-db")
        .db_snapshot_identifier("short-lived")
        .send()
        .await
        .unwrap();
    rds.modify_db_snapshot_attribute()
        .db_snapshot_identifier("short-lived")
        .attribute_name("restore")
        .values_to_add(UNTRUSTED)
        .send()
        .await
        .unwrap();
    let target = ResourceRef::new(ResourceType::DbSnapshot, US, "short-lived");

    let fragment = source.refresh(&target).await.unwrap();
    assert_eq!(fragment.snapshots.len(), 1);
    assert_eq!(fragment.snapshots[0].shared_with, vec![UNTRUSTED]);
    assert_eq!(fragment.status_of(&target), Some("available"));
    assert!(fragment.instances.is_empty() && fragment.clusters.is_empty());

    rds.delete_db_snapshot()
        .db_snapshot_identifier("short-lived")
        .send()
        .await
        .unwrap();
    let fragment = source.refresh(&target).await.unwrap();
    assert!(fragment.snapshots.is_empty(), "{fragment:?}");
    assert_eq!(fragment.status_of(&target), None);

    // Each kind's not-found code means "deleted", not an error.
    for kind in [
        ResourceType::DbInstance,
        ResourceType::DbCluster,
        ResourceType::DbSnapshot,
        ResourceType::DbClusterSnapshot,
    ] {
        let gone = ResourceRef::new(kind, US, "never-existed");
        let fragment = source.refresh(&gone).await.unwrap();
        assert_eq!(fragment.resource_count(), 0, "{kind}: {fragment:?}");
    }
    let gone = ResourceRef::new(ResourceType::SecurityGroup, US, "sg-0123456789abcdef0");
    let fragment = source.refresh(&gone).await.unwrap();
    assert!(fragment.security_groups.is_empty());

    let cluster = ResourceRef::new(ResourceType::DbCluster, US, "ledger");
    let fragment = source.refresh(&cluster).await.unwrap();
    assert_eq!(fragment.clusters.len(), 1);
}
