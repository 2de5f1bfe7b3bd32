#!/usr/bin/env python3
"""Generate assets/demo-fleet.json: a believable, deterministic RDS/Aurora fleet.

The fleet belongs to a fictional e-commerce/payments company. Most resources
are healthy; a deliberate minority trips each posture rule so the demo shows
findings that can be fixed. Everything is explicit data (no randomness), so
the output is byte-for-byte stable across runs.

Usage: python3 scripts/gen-demo-fleet.py [output-path]
"""

import json
import sys
import uuid
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

ACCOUNT = "493812047561"
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"]
E1, W1, AP, W2 = REGIONS
ENDPOINT_ID = {E1: "c9akciq32", W1: "cr4hv7xq2", AP: "cj8mwz5pn", W2: "ct2kdy9fa"}
VPC = {E1: "vpc-0c4e8a1f2b7d93561", W1: "vpc-07d2b6e9a4f1c8035",
       AP: "vpc-0e91f3a7c5b2d4680", W2: "vpc-03a8c6e1f9b4d2710"}
DEFAULT_PORT = {"aurora-mysql": 3306, "mysql": 3306, "mariadb": 3306, "aurora-postgresql": 5432,
                "postgres": 5432, "oracle-ee": 1521, "sqlserver-se": 1433}
DEFAULT_LOGS = {
    "aurora-mysql": ["audit", "error", "slowquery"], "aurora-postgresql": ["postgresql"],
    "mysql": ["error", "general", "slowquery"], "mariadb": ["audit", "error"],
    "postgres": ["postgresql", "upgrade"], "oracle-ee": ["alert", "audit", "listener", "trace"],
    "sqlserver-se": ["agent", "error"],
}
# Automated snapshots are listed for the most recent few days only.
SNAPSHOT_DAY = datetime(2026, 11, 28, tzinfo=timezone.utc)
AUTOMATED_DAYS = 3
VENDOR_ACCOUNT = "210987654321"   # DBA consultancy, not ours
PARTNER_ACCOUNT = "758321649012"  # search-relevance partner


def arn(region, kind, ident):
    return f"arn:aws:rds:{region}:{ACCOUNT}:{kind}:{ident}"


def kms_key(region, alias):
    """A stable customer-managed key ARN per (region, purpose); None means unencrypted."""
    if alias is None:
        return None
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"kms://{ACCOUNT}/{region}/{alias}")
    return f"arn:aws:kms:{region}:{ACCOUNT}:key/{key}"


def endpoint(region, ident, cluster=False):
    prefix = "cluster-" if cluster else ""
    return f"{ident}.{prefix}{ENDPOINT_ID[region]}.{region}.rds.amazonaws.com"


def tags(spec):
    """'env team cost-center app [data-classification]' -> tag map (sorted like a BTreeMap)."""
    keys = ["env", "team", "cost-center", "app", "data-classification"]
    return dict(sorted(zip(keys, spec.split())))


def rfc3339(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- Security groups ------------------------------------------------------------

def tcp(ports, v4=(), v6=(), groups=(), desc=None):
    lo, hi = ports if isinstance(ports, tuple) else (ports, ports)
    return {"protocol": "tcp", "from_port": lo, "to_port": hi, "ipv4_ranges": list(v4),
            "ipv6_ranges": list(v6), "source_groups": list(groups), "description": desc}


def all_traffic(groups=(), desc=None):
    return {"protocol": "-1", "from_port": None, "to_port": None, "ipv4_ranges": [],
            "ipv6_ranges": [], "source_groups": list(groups), "description": desc}


SG_IDS = {
    (E1, "eks-app-nodes"): "sg-0a1c7e3b5d9f24680",
    (E1, "orders-aurora"): "sg-0b2d8f4c6e1a35791",
    (E1, "payments-data-tier"): "sg-0c3e9a5d7f2b46802",
    (E1, "legacy-crm-sqlserver"): "sg-0d4fab6e8a3c57913",
    (E1, "reporting-oracle"): "sg-0e5a1c7f9b4d68a24",
    (E1, "internal-tools-db"): "sg-0f6b2d8a1c5e79b35",
    (E1, "analytics-warehouse-db"): "sg-01a7c3e9b5d28f046",
    (W1, "eu-data-tier"): "sg-02b8d4fa6c1e39057",
    (W1, "analytics-bi-access"): "sg-03c9e5ab7d2f4a168",
    (AP, "apac-app-nodes"): "sg-04dafbc8e3a5b1279",
    (AP, "apac-data-tier"): "sg-05eb1cd9f4b6c238a",
    (W2, "growth-office-only"): "sg-06fc2dea1c7d349b1",
    (W2, "usw2-data-tier"): "sg-07ad3efb2d8e45ac2",
}


def sg(region, name):
    return SG_IDS[(region, name)]


def security_groups():
    app, apac_app = sg(E1, "eks-app-nodes"), sg(AP, "apac-app-nodes")
    table = [
        (E1, "eks-app-nodes", "EKS worker nodes for storefront and checkout services",
         [tcp(443, v4=["10.20.0.0/16"], desc="ALB to pods"),
          all_traffic(groups=[app], desc="node to node")]),
        (E1, "orders-aurora", "Orders Aurora MySQL - app tier only",
         [tcp(3306, groups=[app], desc="orders-service pods")]),
        (E1, "payments-data-tier", "Payments databases (PCI zone)",
         [tcp(5432, v4=["10.0.0.0/8"], desc="corp and VPC ranges"),
          tcp(5432, groups=[app], desc="ledger and tokenizer pods"),
          tcp(3306, groups=[app], desc="billing-service pods")]),
        (E1, "legacy-crm-sqlserver", "Legacy CRM SQL Server (lift-and-shift 2019)",
         [tcp(1433, v4=["0.0.0.0/0"], desc="TEMP vendor remote access - remove after cutover"),
          tcp(1433, v4=["10.0.0.0/8"], desc="office VPN")]),
        (E1, "reporting-oracle", "Finance reporting Oracle + APEX",
         [tcp(1521, v4=["10.0.0.0/8"], desc="finance BI servers"),
          tcp(443, v4=["0.0.0.0/0"], desc="APEX/ORDS web front end")]),
        (E1, "internal-tools-db", "Internal tooling and sandbox databases",
         [tcp(3306, v4=["10.0.0.0/8"], desc="corp network"),
          tcp(5432, v4=["10.0.0.0/8"], desc="corp network"),
          all_traffic(groups=[sg(E1, "internal-tools-db")], desc="self")]),
        (E1, "analytics-warehouse-db", "Analytics warehouse - batch and BI",
         [tcp(5433, v4=["10.0.0.0/8"], desc="Airflow workers and BI"),
          tcp(5433, groups=[app], desc="event loaders")]),
        (W1, "eu-data-tier", "EU data tier (billing, payouts, sessions, search)",
         [tcp((3306, 3307), v4=["10.40.0.0/16"], desc="eu app subnets"),
          tcp(5432, v4=["10.40.0.0/16"], v6=["2a05:d018:1c4:7e00::/56"], desc="eu app subnets")]),
        (W1, "analytics-bi-access", "BI SaaS connector access to extract DB",
         [tcp(5432, v6=["::/0"], desc="BI vendor connector (IPv6, no fixed range)"),
          tcp(5432, v4=["203.0.113.0/24"], desc="Dublin office")]),
        (AP, "apac-app-nodes", "APAC storefront app nodes",
         [tcp(443, v4=["10.60.0.0/16"], desc="internal ALB")]),
        (AP, "apac-data-tier", "APAC databases",
         [tcp(3306, groups=[apac_app], desc="app nodes"),
          tcp(5432, groups=[apac_app], desc="app nodes"),
          tcp(5440, v4=["10.60.0.0/16"], desc="fraud scoring workers")]),
        (W2, "growth-office-only", "Growth team experiments - office IPs only",
         [tcp(3306, v4=["203.0.113.0/24", "198.51.100.17/32"], desc="office and home VPN")]),
        (W2, "usw2-data-tier", "US West data tier",
         [tcp(3306, v4=["10.80.0.0/16"], desc="support-desk app"),
          all_traffic(groups=[sg(W2, "usw2-data-tier")], desc="self")]),
    ]
    return [{"id": sg(region, name), "name": name, "region": region, "vpc_id": VPC[region],
             "description": desc, "ingress": rules} for region, name, desc, rules in table]


# --- Clusters ---------------------------------------------------------------------
# engine is "engine version"; kms is a key purpose (None = unencrypted); sgs are group
# names. members: (instance id, AZ letter, class[, overrides]); the first is the writer.

def cluster(ident, region, engine, created, kms, retention, master, sgs, tag_spec, members,
            **opts):
    return dict(opts, id=ident, region=region, engine=engine, created=created, kms=kms,
                retention=retention, master=master, sgs=sgs, tags=tag_spec, members=members)


CLUSTERS = [
    cluster("orders-prod", E1, "aurora-mysql 8.0.mysql_aurora.3.05.2", "2022-04-11T14:02:19Z",
            "rds-prod", 14, "orders_admin", "orders-aurora", "prod orders CC-1001 orders-service",
            [("orders-prod-instance-1", "a", "db.r6g.2xlarge"),
             ("orders-prod-instance-2", "b", "db.r6g.2xlarge"),
             ("orders-prod-instance-3", "c", "db.r6g.xlarge")]),
    cluster("payments-ledger", E1, "aurora-postgresql 15.4", "2021-11-03T09:47:52Z",
            "payments-pci", 35, "ledger_owner", "payments-data-tier",
            "prod payments CC-2040 ledger pci",
            [("payments-ledger-instance-1", "b", "db.r6g.4xlarge"),
             ("payments-ledger-instance-2", "c", "db.r6g.4xlarge"),
             ("payments-ledger-instance-3", "d", "db.r6g.2xlarge")], iam=True),
    cluster("orders-staging", E1, "aurora-mysql 8.0.mysql_aurora.3.05.2", "2024-02-19T16:30:05Z",
            "rds-nonprod", 7, "orders_admin", "orders-aurora",
            "staging orders CC-1001 orders-service",
            [("orders-staging-instance-1", "b", "db.t4g.medium")], dp=False),
    cluster("analytics-warehouse", E1, "aurora-postgresql 13.12", "2019-08-27T21:15:40Z",
            None, 7, "analytics_admin", "analytics-warehouse-db",
            "prod data-platform CC-3100 warehouse",
            [("analytics-warehouse-instance-1", "a", "db.r5.4xlarge", {"monitoring": 0}),
             ("analytics-warehouse-instance-2", "b", "db.r5.4xlarge")],
            dp=False, port=5433, logs=[]),
    cluster("search-catalog", W1, "aurora-mysql 8.0.mysql_aurora.3.04.1", "2023-01-09T11:05:27Z",
            "rds-prod", 7, "catalog_admin", "eu-data-tier", "prod search CC-1300 catalog-indexer",
            [("search-catalog-instance-1", "a", "db.r6g.xlarge"),
             ("search-catalog-instance-2", "b", "db.r6g.xlarge")]),
    # A Multi-AZ DB cluster (not Aurora): provisioned storage, own minor-upgrade flag.
    cluster("merchant-payouts", W1, "postgres 16.1", "2024-06-04T08:22:13Z",
            "payments-pci", 14, "payouts_admin", "eu-data-tier",
            "prod payments CC-2040 payouts pci",
            [("merchant-payouts-instance-1", "a", "db.m6gd.large"),
             ("merchant-payouts-instance-2", "b", "db.m6gd.large"),
             ("merchant-payouts-instance-3", "c", "db.m6gd.large")],
            iam=True, auto_minor=True, storage=400),
    cluster("auth-users-prod", AP, "aurora-postgresql 14.9", "2022-10-17T02:41:08Z",
            "rds-prod", 14, "postgres", "apac-data-tier", "prod identity CC-1500 auth-service",
            [("auth-users-prod-instance-1", "a", "db.r6g.large"),
             ("auth-users-prod-instance-2", "b", "db.r6g.large")], iam=True),
    cluster("inventory-staging", AP, "aurora-mysql 8.0.mysql_aurora.3.04.1",
            "2025-03-12T05:18:33Z", "rds-nonprod", 1, "admin", "apac-data-tier",
            "staging fulfilment CC-1710 inventory",
            [("inventory-staging-instance-1", "a", "db.serverless", {"monitoring": 0})],
            dp=False, copy_tags=False, logs=[]),
]
# Aurora volumes report 1 GB; Multi-AZ DB clusters report provisioned storage.
CLUSTER_STORAGE = {c["id"]: c.get("storage", 1) for c in CLUSTERS}


def build_cluster(c):
    region, (engine, version) = c["region"], c["engine"].split()
    return {
        "id": c["id"], "arn": arn(region, "cluster", c["id"]), "region": region,
        "engine": engine, "engine_version": version, "status": "available",
        "members": [{"instance_id": m[0], "is_writer": n == 0} for n, m in enumerate(c["members"])],
        "multi_az": len({m[1] for m in c["members"]}) > 1,
        "storage_encrypted": c["kms"] is not None, "kms_key_id": kms_key(region, c["kms"]),
        "backup_retention_days": c["retention"], "deletion_protection": c.get("dp", True),
        "iam_auth_enabled": c.get("iam", False), "port": c.get("port", DEFAULT_PORT[engine]),
        "master_username": c["master"], "copy_tags_to_snapshot": c.get("copy_tags", True),
        "cloudwatch_logs_exports": c.get("logs", DEFAULT_LOGS[engine]),
        "security_group_ids": [sg(region, c["sgs"])],
        "auto_minor_version_upgrade": c.get("auto_minor"),
        "endpoint": endpoint(region, c["id"], cluster=True), "created": c["created"],
        "tags": tags(c["tags"]),
    }


def build_members(c, cl):
    """Members mirror their cluster's settings; AZ, class and monitoring are their own."""
    created = datetime.strptime(c["created"], "%Y-%m-%dT%H:%M:%SZ")
    out = []
    for n, (ident, az, cls, *extra) in enumerate(c["members"]):
        out.append(instance(
            ident, c["region"], c["engine"], cls, az, CLUSTER_STORAGE[c["id"]],
            rfc3339(created + timedelta(minutes=9 + 11 * n)), c["tags"], c["sgs"],
            cluster_id=c["id"], multi_az=False, kms=c["kms"], retention=c["retention"],
            dp=cl["deletion_protection"], iam=cl["iam_auth_enabled"], port=cl["port"],
            master=None, copy_tags=cl["copy_tags_to_snapshot"],
            logs=cl["cloudwatch_logs_exports"], **(extra[0] if extra else {})))
    return out


# --- Standalone instances (incl. read replicas) -----------------------------------
# (id, region, "engine version", class, AZ letter, GB, created, tags, sg name, overrides)

ORACLE_19 = "oracle-ee 19.0.0.0.ru-2023-10.rur-2023-10.r1"
STANDALONE = [
    ("billing-prod", E1, "mysql 8.0.35", "db.r6g.xlarge", "a", 500, "2021-09-02T10:14:05Z",
     "prod payments CC-2040 billing-service", "payments-data-tier",
     dict(retention=14, master="dbmaster_billing")),
    ("legacy-crm-sqlserver", E1, "sqlserver-se 15.00.4345.5.v1", "db.m5.xlarge", "c", 200,
     "2019-05-21T19:03:44Z", "prod sales-ops CC-4200 crm", "legacy-crm-sqlserver",
     dict(multi_az=False, public=True, kms=None, dp=False, auto_minor=False, master="admin",
          copy_tags=False, monitoring=0, logs=[])),
    ("reporting-oracle", E1, ORACLE_19, "db.r5.2xlarge", "b", 1000, "2020-02-10T13:26:18Z",
     "prod finance CC-5000 finance-reporting", "reporting-oracle",
     dict(retention=14, auto_minor=False, master="rpt_master")),
    ("payments-tokenizer", E1, "postgres 15.5", "db.m6g.large", "a", 100, "2023-05-30T07:55:02Z",
     "prod payments CC-2040 tokenizer pci", "payments-data-tier",
     dict(kms="payments-pci", retention=35, iam=True, master="tokenizer_admin")),
    ("payments-tokenizer-replica", E1, "postgres 15.5", "db.m6g.large", "c", 100,
     "2023-06-02T15:12:47Z", "prod payments CC-2040 tokenizer pci", "payments-data-tier",
     dict(multi_az=False, kms="payments-pci", retention=0, iam=True, master="tokenizer_admin",
          replica="payments-tokenizer")),
    ("marketing-cms-mysql", E1, "mysql 8.0.35", "db.t4g.medium", "a", 50, "2022-07-14T12:40:09Z",
     "prod marketing CC-6100 cms", "internal-tools-db",
     dict(multi_az=False, master="cms_admin", logs=[], monitoring=0)),
    ("internal-tools-postgres", E1, "postgres 13.13", "db.t3.medium", "b", 100,
     "2020-11-25T17:08:51Z", "dev platform CC-9000 internal-tools", "internal-tools-db",
     dict(multi_az=False, kms="rds-nonprod", retention=0, dp=False, master="tools_owner",
          copy_tags=False, monitoring=0, logs=[])),
    ("qa-sandbox-mariadb", E1, "mariadb 10.6.16", "db.t3.small", "d", 20, "2021-03-08T09:31:26Z",
     "dev qa CC-9000 qa-sandbox", "internal-tools-db",
     dict(status="stopped", multi_az=False, kms=None, retention=0, dp=False, master="admin",
          copy_tags=False, monitoring=0, logs=[])),
    ("billing-replica-eu", W1, "mysql 8.0.35", "db.r6g.large", "a", 500, "2023-09-18T22:04:36Z",
     "prod payments CC-2040 billing-service", "eu-data-tier",
     dict(multi_az=False, retention=0, master="dbmaster_billing", logs=["error", "slowquery"],
          replica=arn(E1, "db", "billing-prod"))),
    ("analytics-bi-extract", W1, "postgres 14.10", "db.m6g.large", "b", 250,
     "2024-09-03T14:19:55Z", "prod data-platform CC-3100 bi-extract", "analytics-bi-access",
     dict(public=True, dp=False, master="postgres")),
    ("gdpr-audit-postgres", W1, "postgres 16.1", "db.m6g.large", "c", 200, "2024-01-22T10:02:11Z",
     "prod security CC-7000 audit-trail", "eu-data-tier",
     dict(retention=35, iam=True, master="audit_owner")),
    ("checkout-sessions-mariadb", W1, "mariadb 10.11.6", "db.r6g.large", "a", 100,
     "2023-04-05T06:45:30Z", "prod checkout CC-1200 checkout-sessions", "eu-data-tier",
     dict(port=3307, master="sessions_admin")),
    ("orders-apac-mysql", AP, "mysql 8.0.35", "db.r6g.large", "a", 300, "2022-08-29T23:51:14Z",
     "prod orders CC-1001 orders-service", "apac-data-tier",
     dict(retention=14, master="orders_admin")),
    ("orders-apac-mysql-replica", AP, "mysql 8.0.35", "db.r6g.large", "c", 300,
     "2022-09-01T04:27:38Z", "prod orders CC-1001 orders-reporting", "apac-data-tier",
     dict(multi_az=False, retention=0, master="orders_admin", replica="orders-apac-mysql")),
    ("loyalty-staging-postgres", AP, "postgres 15.5", "db.t4g.medium", "b", 50,
     "2025-06-16T03:33:20Z", "staging loyalty CC-1800 loyalty-points", "apac-data-tier",
     dict(multi_az=False, kms="rds-nonprod", retention=3, dp=False, master="loyalty_admin",
          monitoring=0)),
    ("fraud-scoring-postgres", AP, "postgres 16.1", "db.r6g.xlarge", "a", 400,
     "2024-11-11T01:10:42Z", "prod risk CC-2100 fraud-scoring pci", "apac-data-tier",
     dict(retention=21, iam=True, port=5440, master="fraud_svc_owner", monitoring=15)),
    ("growth-experiments-mysql", W2, "mysql 8.0.35", "db.t3.medium", "a", 20,
     "2025-08-07T18:22:59Z", "dev growth CC-6200 ab-experiments", "growth-office-only",
     dict(multi_az=False, public=True, kms=None, retention=1, dp=False, master="growth_dev",
          copy_tags=False, monitoring=0)),
    ("support-desk-mariadb", W2, "mariadb 10.11.6", "db.m6g.large", "b", 150,
     "2023-10-30T16:48:07Z", "prod customer-support CC-4300 helpdesk", "usw2-data-tier",
     dict(retention=10, auto_minor=False, master="helpdesk_admin", monitoring=30)),
]


def instance(ident, region, engine_spec, cls, az, storage, created, tag_spec, sg_name, *,
             cluster_id=None, status="available", multi_az=True, public=False, kms="rds-prod",
             retention=7, dp=True, auto_minor=True, iam=False, port=None, master=None,
             copy_tags=True, monitoring=60, logs=None, replica=None):
    engine, version = engine_spec.split()
    return {
        "id": ident, "arn": arn(region, "db", ident), "region": region,
        "engine": engine, "engine_version": version, "class": cls, "status": status,
        "cluster_id": cluster_id, "availability_zone": f"{region}{az}",
        "multi_az": multi_az, "publicly_accessible": public,
        "storage_encrypted": kms is not None, "kms_key_id": kms_key(region, kms),
        "allocated_storage_gb": storage, "backup_retention_days": retention,
        "deletion_protection": dp, "auto_minor_version_upgrade": auto_minor,
        "iam_auth_enabled": iam, "port": port or DEFAULT_PORT[engine],
        "master_username": master, "copy_tags_to_snapshot": copy_tags,
        "monitoring_interval_secs": monitoring,
        "cloudwatch_logs_exports": DEFAULT_LOGS[engine] if logs is None else logs,
        "security_group_ids": [sg(region, sg_name)],
        "replica_source": replica, "endpoint": endpoint(region, ident),
        "created": created, "tags": tags(tag_spec),
    }


# --- Snapshots --------------------------------------------------------------------

def snapshot(kind, ident, source, snapshot_type, created, shared_with=(), extra_tags=None):
    """A snapshot inheriting engine, encryption, size, port and (if copied) tags from its source."""
    tag_set = dict(source["tags"]) if source["copy_tags_to_snapshot"] else {}
    tag_set.update(extra_tags or {})
    storage = source["allocated_storage_gb"] if kind == "db" else CLUSTER_STORAGE[source["id"]]
    rtype = "cluster-snapshot" if kind == "cluster" else "snapshot"
    return {
        "id": ident, "arn": arn(source["region"], rtype, ident), "region": source["region"],
        "kind": kind, "source_id": source["id"], "engine": source["engine"],
        "status": "available", "snapshot_type": snapshot_type,
        "encrypted": source["kms_key_id"] is not None, "kms_key_id": source["kms_key_id"],
        "allocated_storage_gb": storage, "port": source["port"], "created": created,
        "shared_with": list(shared_with), "tags": dict(sorted(tag_set.items())),
    }


def automated_snapshots(kind, source):
    """Daily automated snapshots at a stable per-resource backup-window time."""
    crc = zlib.crc32(source["id"].encode())
    window = timedelta(hours=1 + crc % 6, minutes=(crc // 6) % 60)
    out = []
    for day in range(min(source["backup_retention_days"], AUTOMATED_DAYS)):
        at = SNAPSHOT_DAY - timedelta(days=day) + window
        ident = f"rds:{source['id']}-{at:%Y-%m-%d-%H-%M}"
        out.append(snapshot(kind, ident, source, "automated", rfc3339(at)))
    return out


# (kind, snapshot id, source id, created[, shared_with[, extra tags]])
MANUAL_SNAPSHOTS = [
    ("cluster", "orders-prod-pre-upgrade-3-05", "orders-prod", "2026-10-14T22:05:31Z", [],
     {"reason": "pre-upgrade"}),
    ("cluster", "payments-ledger-q3-close-2026", "payments-ledger", "2026-10-01T00:30:12Z", [],
     {"retention": "7y"}),
    # The incident: someone made a warehouse snapshot public for a BI vendor.
    ("cluster", "analytics-warehouse-share-2026-11-20", "analytics-warehouse",
     "2026-11-20T15:42:09Z", ["all"], {"requested-by": "bi-vendor-onboarding"}),
    ("cluster", "search-catalog-partner-export-2026-11", "search-catalog",
     "2026-11-03T10:11:54Z", [PARTNER_ACCOUNT], {"reason": "relevance-tuning-export"}),
    ("cluster", "merchant-payouts-pre-16-upgrade", "merchant-payouts", "2026-07-21T19:58:40Z", [],
     {"reason": "pre-upgrade"}),
    ("cluster", "auth-users-prod-pre-schema-v42", "auth-users-prod", "2026-11-12T12:03:27Z"),
    ("cluster", "inventory-staging-seed-2026-11-01", "inventory-staging", "2026-11-01T04:15:00Z"),
    ("db", "billing-prod-vendor-migration-2026-09", "billing-prod", "2026-09-09T08:27:16Z",
     [VENDOR_ACCOUNT], {"reason": "dba-consultancy-perf-review"}),
    ("db", "billing-prod-pre-8-0-35", "billing-prod", "2026-02-04T23:10:48Z"),
    ("db", "legacy-crm-sqlserver-final-export-2026-06", "legacy-crm-sqlserver",
     "2026-06-18T17:36:02Z", ["all"]),
    ("db", "legacy-crm-sqlserver-pre-patch-2026-08", "legacy-crm-sqlserver",
     "2026-08-02T21:00:44Z"),
    ("db", "reporting-oracle-yearend-2025", "reporting-oracle", "2026-01-02T06:14:39Z", [],
     {"retention": "7y"}),
    ("db", "internal-tools-postgres-weekly-2026-11-23", "internal-tools-postgres",
     "2026-11-23T09:00:05Z"),
    ("db", "qa-sandbox-mariadb-before-stop", "qa-sandbox-mariadb", "2026-10-27T16:20:18Z"),
    ("db", "gdpr-audit-postgres-legal-hold-2026-05", "gdpr-audit-postgres",
     "2026-05-14T11:48:23Z", [], {"legal-hold": "case-2026-017"}),
    ("db", "orders-apac-mysql-pre-migration", "orders-apac-mysql", "2026-09-27T13:37:51Z"),
]


def build_fleet():
    clusters, instances = [], []
    for c in CLUSTERS:
        cl = build_cluster(c)
        clusters.append(cl)
        instances.extend(build_members(c, cl))
    standalone = []
    for ident, region, engine, cls, az, gb, created, tag_spec, sg_name, opts in STANDALONE:
        standalone.append(instance(ident, region, engine, cls, az, gb, created, tag_spec,
                                   sg_name, **opts))
    instances.extend(standalone)

    snapshots = []
    for cl in clusters:
        snapshots.extend(automated_snapshots("cluster", cl))
    for i in standalone:
        if i["replica_source"] is None and i["status"] == "available":
            snapshots.extend(automated_snapshots("db", i))
    sources = {("cluster", c["id"]): c for c in clusters}
    sources.update({("db", i["id"]): i for i in standalone})
    for kind, ident, source, created, *rest in MANUAL_SNAPSHOTS:
        snapshots.append(snapshot(kind, ident, sources[(kind, source)], "manual", created, *rest))

    return {"account": ACCOUNT, "regions": REGIONS, "clusters": clusters,
            "instances": instances, "snapshots": snapshots,
            "security_groups": security_groups(), "load_errors": []}


def main():
    root = Path(__file__).resolve().parent.parent
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "assets" / "demo-fleet.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        json.dump(build_fleet(), f, indent=2, sort_keys=False)
        f.write("\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
