#!/usr/bin/env python3
"""Add the demo fleet's activity story (issue 15) to assets/demo-fleet.json.

A week of RDS calls as CloudTrail records them (`events`, oldest first), the
trail read of every region (`activity_reads`, via "demo"), and what the story
made: dev-sam's cluster snapshot, a DR copy in us-west-2, the backup runner's
monthly copy, the export task. Idempotent: it replaces what it added before,
so it can run again after the fleet is regenerated or edited.

Times are fixed, like every time in the demo fleet: the morning of
2026-11-28, the trail the seven days before. Event ids are uuid5 of the
event's position, so they stay put as long as the story's order does.

Usage: python3 scripts/demo-activity-story.py [assets/demo-fleet.json]
"""
import copy
import json
import sys
import uuid
from pathlib import Path

PATH = (sys.argv[1] if len(sys.argv) > 1
        else Path(__file__).resolve().parent.parent / "assets" / "demo-fleet.json")
f = json.load(open(PATH))
ACCT = f["account"]
NS = uuid.UUID("6f0c1d0e-6a7b-4c2e-9a51-3d2f0e7b9c11")

def eid(n):
    return str(uuid.uuid5(NS, f"demo-event-{n}"))

def iam(kind, name):
    return f"arn:aws:iam::{ACCT}:{kind}/{name}"

def role_session(role, session):
    return {"kind": "assumed-role",
            "arn": f"arn:aws:sts::{ACCT}:assumed-role/{role}/{session}",
            "account": ACCT, "role_arn": iam("role", role)}

DEV = {"kind": "iam-user", "arn": iam("user", "dev-sam"), "account": ACCT}
OPS = role_session("platform-ops", "jlee@acme.example")
BACKUP = role_session("rds-backup-runner", "rds-backup-runner")
PROBE = role_session("snapshot-sync-legacy", "botocore-session-1764305463")
ANALYST = role_session("DataPlatformAnalyst", "priya.n@acme.example")
ROOT = {"kind": "root", "arn": f"arn:aws:iam::{ACCT}:root", "account": ACCT}

CLI_LINUX = "aws-cli/2.17.5 Python/3.11.9 Linux/6.1.0-21-amd64 exe/x86_64.debian.12 prompt/off command/rds.{}"
CLI_MAC = "aws-cli/2.17.5 Python/3.11.9 Darwin/23.5.0 exe/x86_64 prompt/off command/rds.{}"
BOTO = "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.0"
LAMBDA = "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.10.227-239.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.0"
CONSOLE = "console.amazonaws.com"

OFFICE = "192.0.2.10"      # the ops team's VPN egress
LAMBDA_IP = "192.0.2.41"   # the backup runner's NAT
DEV_HOME = "203.0.113.47"  # unusual: not the office, not the VPN
PROBE_IP = "198.51.100.23"
ROOT_IP = "198.51.100.140"
ANALYST_IP = "192.0.2.18"

def kms(region, key):
    return f"arn:aws:kms:{region}:{ACCT}:key/{key}"

KEY_ORDERS = kms("us-east-1", "e53ef23a-d3b0-587e-9b94-983afbc1a21d")
KEY_TOOLS = kms("us-east-1", "b8d321c7-9a70-5df1-9b29-c73c0b215f59")
KEY_TOKENIZER = kms("us-east-1", "1bb09b88-016f-5a14-b3b0-f60d5702eeff")
KEY_WEST_AWS = kms("us-west-2", "a130ba31-1926-54f2-b23b-381b8abe67e1")
KEY_EU = kms("eu-west-1", "7a8b6508-0b02-52b4-8b17-beba7479146d")

DEBUG_SNAP = "orders-prod-debug-2026-11-28"
DR_COPY = "billing-prod-dr-2026-11-27"
MONTHLY = "payments-tokenizer-monthly-2026-11"
DR_SOURCE = "rds:billing-prod-2026-11-27-04-38"
MONTHLY_SOURCE = "rds:payments-tokenizer-2026-11-26-05-53"

def res(kind, rid, region):
    return {"kind": kind, "id": rid, "region": region}

events = []
def ev(time, region, name, principal, ip, ua, resource=None, detail=None, error=None):
    e = {"id": eid(len(events)), "time": time, "region": region, "name": name,
         "principal": principal, "source_ip": ip, "user_agent": ua}
    if error:
        e["error_code"], e["error_message"] = error
    if resource:
        e["resource"] = resource
    if detail:
        e["detail"] = detail
    events.append(e)

def denied(principal, action, on):
    return ("AccessDenied",
            f"User: {principal['arn']} is not authorized to perform: rds:{action} on resource: {on} "
            f"because no identity-based policy allows the rds:{action} action")

# Background: the ops role, the backup runner, the root user.
ev("2026-11-21T14:05:12Z", "us-east-1", "ModifyDBInstance", OPS, OFFICE, CONSOLE,
   res("db-instance", "reporting-oracle", "us-east-1"))
ev("2026-11-22T10:17:40Z", "eu-west-1", "RebootDBInstance", OPS, OFFICE,
   CLI_LINUX.format("reboot-db-instance"), res("db-instance", "checkout-sessions-mariadb", "eu-west-1"))
ev("2026-11-23T09:00:05Z", "us-east-1", "CreateDBSnapshot", BACKUP, LAMBDA_IP, LAMBDA,
   res("db-snapshot", "internal-tools-postgres-weekly-2026-11-23", "us-east-1"),
   {"kind": "create", "snapshot": "internal-tools-postgres-weekly-2026-11-23",
    "source": "internal-tools-postgres"})
ev("2026-11-24T16:42:09Z", "ap-southeast-2", "ModifyDBInstance", OPS, OFFICE,
   CLI_LINUX.format("modify-db-instance"), res("db-instance", "loyalty-staging-postgres", "ap-southeast-2"))
ev("2026-11-25T18:03:27Z", "us-east-1", "ModifyDBInstance", ROOT, ROOT_IP, CONSOLE,
   res("db-instance", "qa-sandbox-mariadb", "us-east-1"))
ev("2026-11-26T11:20:31Z", "us-east-1", "CopyDBSnapshot", BACKUP, LAMBDA_IP, LAMBDA,
   res("db-snapshot", MONTHLY, "us-east-1"),
   {"kind": "copy", "source": MONTHLY_SOURCE, "target": MONTHLY,
    "destination_region": "us-east-1", "source_region": "us-east-1",
    "kms_key_id": KEY_TOKENIZER, "encrypted": True})
ev("2026-11-27T06:02:18Z", "us-west-2", "CopyDBSnapshot", OPS, OFFICE,
   CLI_LINUX.format("copy-db-snapshot"), res("db-snapshot", DR_COPY, "us-west-2"),
   {"kind": "copy", "source": f"arn:aws:rds:us-east-1:{ACCT}:snapshot:{DR_SOURCE}", "target": DR_COPY,
    "destination_region": "us-west-2", "source_region": "us-east-1",
    "kms_key_id": KEY_WEST_AWS, "encrypted": True})

# The story: a developer's snapshot, shared with everyone, exported, un-shared.
DEBUG_RES = res("db-cluster-snapshot", DEBUG_SNAP, "us-east-1")
DEBUG_ARN = f"arn:aws:rds:us-east-1:{ACCT}:cluster-snapshot:{DEBUG_SNAP}"
ev("2026-11-28T02:47:13Z", "us-east-1", "CreateDBClusterSnapshot", DEV, DEV_HOME,
   CLI_MAC.format("create-db-cluster-snapshot"), DEBUG_RES,
   {"kind": "create", "snapshot": DEBUG_SNAP, "source": "orders-prod"})
ev("2026-11-28T03:05:41Z", "us-east-1", "ModifyDBClusterSnapshotAttribute", DEV, DEV_HOME,
   CLI_MAC.format("modify-db-cluster-snapshot-attribute"), DEBUG_RES,
   {"kind": "share", "attribute": "restore", "added": ["all"], "removed": []})
export = {"kind": "export", "task_id": "orders-debug-2026-11-28", "source_arn": DEBUG_ARN,
          "bucket": "sam-scratch-analytics", "prefix": "orders-debug/",
          "role_arn": iam("role", "rds-s3-export"),
          "kms_key_id": f"arn:aws:kms:us-east-1:{ACCT}:alias/sam-dev"}
ev("2026-11-28T03:11:09Z", "us-east-1", "StartExportTask", DEV, DEV_HOME,
   CLI_MAC.format("start-export-task"), DEBUG_RES, export,
   ("KMSKeyNotAccessibleFault", "The specified KMS key is not accessible: arn:aws:kms:us-east-1:"
    f"{ACCT}:alias/sam-dev"))
ev("2026-11-28T03:12:30Z", "us-east-1", "StartExportTask", DEV, DEV_HOME,
   CLI_MAC.format("start-export-task"), DEBUG_RES, dict(export, kms_key_id=KEY_TOOLS))

# A burst of refusals from a role nobody remembers.
burst = [
    ("04:51:03", "us-east-1", "DescribeDBSnapshots"), ("04:51:04", "us-east-1", "DescribeDBSnapshots"),
    ("04:51:06", "us-east-1", "DescribeDBSnapshots"), ("04:51:09", "eu-west-1", "DescribeDBSnapshots"),
    ("04:51:10", "eu-west-1", "DescribeDBSnapshots"), ("04:52:17", "us-east-1", "ModifyDBSnapshotAttribute"),
    ("04:52:19", "us-east-1", "DescribeDBSnapshots"), ("04:52:21", "us-east-1", "ModifyDBSnapshotAttribute"),
    ("04:53:02", "us-east-1", "CopyDBClusterSnapshot"), ("04:53:48", "us-east-1", "ModifyDBSnapshotAttribute"),
    ("04:54:12", "us-east-1", "DescribeDBSnapshots"), ("04:54:40", "us-east-1", "CopyDBClusterSnapshot"),
]
for clock, region, name in burst:
    time = f"2026-11-28T{clock}Z"
    if name == "DescribeDBSnapshots":
        ev(time, region, name, PROBE, PROBE_IP, BOTO,
           error=denied(PROBE, name, f"arn:aws:rds:{region}:{ACCT}:snapshot:*"))
    elif name == "ModifyDBSnapshotAttribute":
        snap = "billing-prod-pre-8-0-35"
        ev(time, region, name, PROBE, PROBE_IP, BOTO, res("db-snapshot", snap, region),
           {"kind": "share", "attribute": "restore", "added": ["758321649012"], "removed": []},
           denied(PROBE, name, f"arn:aws:rds:{region}:{ACCT}:snapshot:{snap}"))
    else:
        ev(time, region, name, PROBE, PROBE_IP, BOTO, res("db-cluster-snapshot", "orders-debug-copy", region),
           {"kind": "copy", "source": DEBUG_SNAP, "target": "orders-debug-copy",
            "destination_region": region, "source_region": region},
           denied(PROBE, name, DEBUG_ARN))

# An analyst's trial export in Europe, cancelled a minute later.
BI_SNAP = "rds:analytics-bi-extract-2026-11-28-03-48"
bi_arn = f"arn:aws:rds:eu-west-1:{ACCT}:snapshot:{BI_SNAP}"
ev("2026-11-28T08:01:40Z", "eu-west-1", "StartExportTask", ANALYST, ANALYST_IP, CONSOLE,
   res("db-snapshot", BI_SNAP, "eu-west-1"),
   {"kind": "export", "task_id": "bi-extract-trial-export", "source_arn": bi_arn,
    "bucket": "acme-bi-scratch", "prefix": "trial/", "role_arn": iam("role", "rds-s3-export"),
    "kms_key_id": KEY_EU})
ev("2026-11-28T08:03:12Z", "eu-west-1", "CancelExportTask", ANALYST, ANALYST_IP, CONSOLE,
   res("db-snapshot", BI_SNAP, "eu-west-1"))

# On-call notices the public snapshot and takes the share back.
ev("2026-11-28T08:17:52Z", "us-east-1", "ModifyDBClusterSnapshotAttribute", OPS, OFFICE, CONSOLE,
   DEBUG_RES, {"kind": "share", "attribute": "restore", "added": [], "removed": ["all"]})
ev("2026-11-28T08:25:06Z", "us-east-1", "DescribeDBClusterSnapshotAttributes", OPS, OFFICE, CONSOLE,
   DEBUG_RES)

f["events"] = events
f["activity_reads"] = [
    {"region": r, "since": "2026-11-21T09:00:00Z", "until": "2026-11-28T09:00:00Z", "via": "demo"}
    for r in f["regions"]
]

# The snapshots the story made.
def snapshot_like(template_id, **changes):
    template = next(s for s in f["snapshots"] if s["id"] == template_id)
    s = copy.deepcopy(template)
    s.update(changes)
    return s

story_ids = {DEBUG_SNAP, DR_COPY, MONTHLY}
f["snapshots"] = [s for s in f["snapshots"] if s["id"] not in story_ids]
def insert_after(anchor_id, snapshot):
    at = next(i for i, s in enumerate(f["snapshots"]) if s["id"] == anchor_id)
    f["snapshots"].insert(at + 1, snapshot)

insert_after("orders-prod-pre-upgrade-3-05", snapshot_like(
    "orders-prod-pre-upgrade-3-05", id=DEBUG_SNAP, arn=DEBUG_ARN, created="2026-11-28T02:47:13Z",
    tags={"owner": "dev-sam", "purpose": "debug"}))
insert_after("internal-tools-postgres-weekly-2026-11-23", snapshot_like(
    MONTHLY_SOURCE, id=MONTHLY, arn=f"arn:aws:rds:us-east-1:{ACCT}:snapshot:{MONTHLY}",
    snapshot_type="manual", created="2026-11-26T11:20:31Z",
    tags={"retention": "monthly", "managed-by": "rds-backup-runner"}))
insert_after("support-desk-mariadb-vendor-handoff", snapshot_like(
    DR_SOURCE, id=DR_COPY, arn=f"arn:aws:rds:us-west-2:{ACCT}:snapshot:{DR_COPY}", region="us-west-2",
    snapshot_type="manual", kms_key_id=KEY_WEST_AWS, created="2026-11-27T06:02:18Z",
    tags={"purpose": "disaster-recovery", "copied-from": "us-east-1"}))

f["export_tasks"] = [t for t in f["export_tasks"] if t["id"] != "orders-debug-2026-11-28"]
f["export_tasks"].append({
    "region": "us-east-1", "id": "orders-debug-2026-11-28", "source_arn": DEBUG_ARN,
    "status": "COMPLETE", "s3_bucket": "sam-scratch-analytics", "s3_prefix": "orders-debug/",
    "iam_role_arn": iam("role", "rds-s3-export"), "kms_key_id": KEY_TOOLS,
    "task_start_time": "2026-11-28T03:12:30Z", "task_end_time": "2026-11-28T03:58:44Z"})

open(PATH, "w").write(json.dumps(f, indent=2, ensure_ascii=False) + "\n")
print(len(events), "events")
