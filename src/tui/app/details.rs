//! The details pane's content: every attribute of the selected row, its
//! findings with reasons and compliance ids, and related resources. Built
//! here when the selection or the data changes, never while drawing.

use super::App;
use crate::model::{
    Cluster, FleetIndex, Instance, Link, Reach, ResourceRef, Snapshot, SnapshotKind, hop_summary,
    instance_groups, internet_path,
};
use crate::remediation::PlanOptions;
use crate::rules::{Finding, plan_for, rule_info};
use crate::tui::columns::finding_mark;
use crate::tui::doc::{Doc, DocLine, Tone, raw, span};
use crate::tui::rows::{Row, RowKey, sharing};

use super::details_events::{event_lines, timeline_section};
use super::fields::{field, flag, section};

/// What the details pane shows, and for which row of which evaluation.
#[derive(Debug, Clone, Default)]
pub struct Details {
    pub title: String,
    pub lines: Doc,
    /// The row it describes.
    key: Option<RowKey>,
    /// The evaluation it was built from.
    version: u64,
}

impl Details {
    /// Is this still the content for `row` of evaluation `version`?
    fn describes(&self, row: Option<&Row<'_>>, version: u64) -> bool {
        self.version == version
            && match (row, &self.key) {
                (Some(row), Some(key)) => row.is(key),
                (None, None) => true,
                _ => false,
            }
    }
}

impl App {
    /// Rebuild the details when the selected row or the data changed.
    pub(super) fn sync_details(&mut self) {
        let row = self.selected_row();
        if self.details.describes(row.as_ref(), self.data_version) {
            return;
        }
        let (title, lines) = match row {
            Some(row) => content(self, row),
            None => (
                " Details ".to_string(),
                vec![DocLine::styled("nothing selected", Tone::Dim)],
            ),
        };
        self.details = Details {
            title,
            lines,
            key: row.map(|r| r.key()),
            version: self.data_version,
        };
    }
}

fn content<'a>(app: &'a App, row: Row<'a>) -> (String, Doc) {
    match row {
        Row::Cluster(c) => (format!(" cluster {} ", c.id), cluster_lines(app, c)),
        Row::Instance(i) => (format!(" instance {} ", i.id), instance_lines(app, i)),
        Row::Snapshot(s) => (format!(" snapshot {} ", s.id), snapshot_lines(app, s)),
        Row::Finding(f) => (format!(" finding {} ", f.rule), finding_lines(app, f)),
        Row::Event(e) => (format!(" event {} ", e.name), event_lines(app, e)),
    }
}

fn findings_section(app: &App, resource: &ResourceRef, lines: &mut Doc) {
    // Compared in place: no key is built per finding of the fleet.
    let findings: Vec<&Finding> = app
        .findings
        .iter()
        .filter(|f| {
            f.resource_type == resource.kind
                && f.resource_id == resource.id
                && f.region == resource.region
        })
        .collect();
    if findings.is_empty() {
        lines.push(DocLine::styled("✓ no findings", Tone::Good));
        return;
    }
    lines.push(section(&format!("Findings ({})", findings.len())));
    for f in findings {
        let (tone, mark) = finding_mark(f);
        lines.push(DocLine::new(vec![
            span(mark, tone),
            raw(format!("{}: {}", f.rule, f.reason)),
        ]));
        lines.push(DocLine::styled(
            format!("    {}", compliance_text(f)),
            Tone::Dim,
        ));
    }
}

fn cluster_lines(app: &App, c: &Cluster) -> Doc {
    let mut lines = vec![
        DocLine::new(vec![
            field("engine", format!("{} {}", c.engine, c.engine_version)),
            field("status", &c.status),
            field("region", &c.region),
            field("port", c.port.to_string()),
        ]),
        DocLine::new(vec![
            flag("encrypted", c.storage_encrypted, false),
            flag("multi-az", c.multi_az, false),
            field("backups", format!("{}d", c.backup_retention_days)),
            flag("deletion-protection", c.deletion_protection, false),
            flag("iam-auth", c.iam_auth_enabled, false),
        ]),
        DocLine::new(vec![
            field("master", &c.master_username),
            field(
                "logs",
                if c.cloudwatch_logs_exports.is_empty() {
                    "-".into()
                } else {
                    c.cloudwatch_logs_exports.join(",")
                },
            ),
            field("sgs", c.security_group_ids.join(",")),
        ]),
    ];
    pending(&c.pending_changes, &mut lines);
    findings_section(app, &c.resource_ref(), &mut lines);
    if let Some(arn) = &c.arn {
        lines.push(DocLine::styled(arn.clone(), Tone::Dim));
    }
    lines.push(section(&format!("Members ({})", c.members.len())));
    for m in &c.members {
        let instance = app.fleet.instance(&c.region, &m.instance_id);
        let zone = instance
            .and_then(|i| i.availability_zone.clone())
            .unwrap_or_else(|| "?".into());
        let status = instance
            .map(|i| i.status.clone())
            .unwrap_or_else(|| "not loaded".into());
        lines.push(DocLine::plain(format!(
            "  {} {} · {} · {}",
            m.instance_id,
            if m.is_writer { "(writer)" } else { "(reader)" },
            zone,
            status
        )));
    }
    snapshots_of(app, &c.region, SnapshotKind::Cluster, &c.id, &mut lines);
    groups_section(app, &c.region, &c.security_group_ids, c.port, &mut lines);
    timeline_section(app, &c.resource_ref(), &mut lines);
    lines
}

fn instance_lines(app: &App, i: &Instance) -> Doc {
    let mut lines = vec![
        DocLine::new(vec![
            field("engine", format!("{} {}", i.engine, i.engine_version)),
            field("class", &i.class),
            field("status", &i.status),
            field("zone", i.availability_zone.clone().unwrap_or_default()),
            field("port", i.port.to_string()),
        ]),
        if i.cluster_id.is_some() {
            // These come from the cluster; the instance's own copies mislead.
            DocLine::new(vec![
                flag("public", i.publicly_accessible, true),
                field(
                    "encryption/multi-az/backups/deletion-protection/iam-auth",
                    "via cluster",
                ),
            ])
        } else {
            DocLine::new(vec![
                flag("public", i.publicly_accessible, true),
                flag("encrypted", i.storage_encrypted, false),
                flag("multi-az", i.multi_az, false),
                field("backups", format!("{}d", i.backup_retention_days)),
                flag("deletion-protection", i.deletion_protection, false),
            ])
        },
        DocLine::new(vec![
            flag("auto-minor-upgrade", i.auto_minor_version_upgrade, false),
            if i.cluster_id.is_some() {
                raw("")
            } else {
                flag("iam-auth", i.iam_auth_enabled, false)
            },
            field("monitoring", format!("{}s", i.monitoring_interval_secs)),
            field(
                "master",
                i.master_username.clone().unwrap_or_else(|| "-".into()),
            ),
        ]),
    ];
    if let Some(source) = &i.replica_source {
        lines.push(DocLine::plain(format!(
            "read replica of {source}: backups are judged on the source"
        )));
    }
    if let Some(cluster) = &i.cluster_id {
        lines.push(DocLine::styled(
            format!("member of cluster {cluster}: Multi-AZ, backups, deletion protection and encryption are judged through the cluster"),
            Tone::Warn,
        ));
    }
    pending(&i.pending_changes, &mut lines);
    findings_section(app, &i.resource_ref(), &mut lines);
    if let Some(endpoint) = &i.endpoint {
        lines.push(DocLine::styled(format!("endpoint {endpoint}"), Tone::Dim));
    }

    let index = FleetIndex::new(&app.fleet);
    let groups = instance_groups(&index, i).to_vec();
    groups_section(app, &i.region, &groups, i.port, &mut lines);
    network_section(&index, i, &groups, &mut lines);
    match &i.cluster_id {
        // Aurora snapshots are of the cluster, never of one member.
        Some(cluster) => lines.push(DocLine::styled(
            format!("snapshots are taken of cluster {cluster}: see its details"),
            Tone::Dim,
        )),
        None => snapshots_of(app, &i.region, SnapshotKind::Db, &i.id, &mut lines),
    }
    timeline_section(app, &i.resource_ref(), &mut lines);
    lines
}

fn snapshot_lines(app: &App, s: &Snapshot) -> Doc {
    let shared = sharing(s);
    let mut lines = vec![
        DocLine::new(vec![
            field("kind", s.kind.label()),
            field("type", &s.snapshot_type),
            field("status", &s.status),
            field("engine", &s.engine),
            field("created", s.created.clone().unwrap_or_default()),
        ]),
        DocLine::new(vec![
            flag("encrypted", s.encrypted, false),
            field("kms", s.kms_key_id.clone().unwrap_or_else(|| "-".into())),
            field("source", &s.source_id),
        ]),
        DocLine::new(vec![
            raw("shared with (restore attribute): "),
            if s.is_public() {
                span("all — PUBLIC".to_string(), Tone::Bad)
            } else {
                raw(shared)
            },
        ]),
    ];
    findings_section(app, &s.resource_ref(), &mut lines);
    if let Some(arn) = &s.arn {
        lines.push(DocLine::styled(arn.clone(), Tone::Dim));
    }
    timeline_section(app, &s.resource_ref(), &mut lines);
    lines
}

/// The compliance ids, or that no control covers this resource (an
/// Aurora cluster's minor upgrades, a Multi-AZ DB cluster's public access).
fn compliance_text(f: &Finding) -> String {
    if f.compliance.is_empty() {
        "no Security Hub or CIS control covers this resource type".to_string()
    } else {
        f.compliance.join(" · ")
    }
}

fn finding_lines(app: &App, f: &Finding) -> Doc {
    let info = rule_info(f.rule);
    let (tone, mark) = finding_mark(f);
    let evidence = if f.is_unknown() {
        format!("unknown: {}", f.reason)
    } else {
        format!("evidence: {}", f.reason)
    };
    let mut lines = vec![
        DocLine::new(vec![
            span(mark, tone),
            span(info.title.to_string(), Tone::Header),
        ]),
        DocLine::plain(format!(
            "{} {} in {}",
            f.resource_type, f.resource_id, f.region
        )),
        DocLine::plain(evidence),
        DocLine::styled(format!("maps to: {}", compliance_text(f)), Tone::Dim),
    ];
    if let Some(arn) = &f.arn {
        lines.push(DocLine::styled(arn.clone(), Tone::Dim));
    }
    lines.push(section("Remediation"));
    match plan_for(&app.fleet, &app.rules, f, PlanOptions::default()) {
        Ok(plan) => {
            for (n, planned) in plan.steps.iter().enumerate() {
                lines.push(DocLine::new(vec![
                    raw(format!(
                        "  {}. {} — {} ",
                        n + 1,
                        planned.step.api(),
                        planned.purpose
                    )),
                    span(
                        format!("[{}]", planned.step.impact()),
                        Tone::Impact(planned.step.impact()),
                    ),
                ]));
            }
            // What a restored copy carries is for the plan dialog: here
            // only what needs care.
            let needs_care = plan
                .caveats
                .iter()
                .filter(|c| !matches!(c, crate::remediation::Caveat::Carried { .. }));
            for caveat in needs_care {
                lines.push(DocLine::styled(format!("  ⚠ {caveat}"), Tone::Warn));
            }
            lines.push(DocLine::styled(
                "  press f to review the exact plan",
                Tone::Dim,
            ));
        }
        Err(e) => lines.push(DocLine::plain(format!("  by hand: {e}"))),
    }
    lines
}

fn pending(changes: &[String], lines: &mut Doc) {
    if !changes.is_empty() {
        lines.push(DocLine::styled(
            format!("pending in the maintenance window: {}", changes.join(", ")),
            Tone::Warn,
        ));
    }
}

fn snapshots_of(app: &App, region: &str, kind: SnapshotKind, source: &str, lines: &mut Doc) {
    let snapshots: Vec<&Snapshot> = app
        .fleet
        .snapshots
        .iter()
        .filter(|s| s.region == region && s.kind == kind && s.source_id == source)
        .collect();
    lines.push(section(&format!("Snapshots ({})", snapshots.len())));
    for s in snapshots {
        let risk = app.risk_of(&s.resource_ref());
        let symbol = match (risk.worst, risk.unknown) {
            (Some(worst), _) => worst.symbol(),
            (None, true) => crate::finding::UNKNOWN_SYMBOL,
            (None, false) => "✓",
        };
        lines.push(DocLine::new(vec![
            span(format!("  {symbol} "), risk.tone()),
            raw(format!(
                "{} · {} · {} · shared {}",
                s.id,
                s.snapshot_type,
                if s.encrypted {
                    "encrypted"
                } else {
                    "unencrypted"
                },
                sharing(s)
            )),
        ]));
    }
}

fn groups_section(app: &App, region: &str, groups: &[String], port: u16, lines: &mut Doc) {
    lines.push(section(&format!("Security groups ({})", groups.len())));
    for id in groups {
        let Some(group) = app.fleet.security_group(region, id) else {
            lines.push(DocLine::styled(format!("  {id} (not loaded)"), Tone::Warn));
            continue;
        };
        lines.push(DocLine::plain(format!("  {} ({})", group.id, group.name)));
        for rule in &group.ingress {
            let sources: Vec<String> = rule
                .ipv4_ranges
                .iter()
                .chain(&rule.ipv6_ranges)
                .chain(&rule.source_groups)
                .cloned()
                .collect();
            let open = rule.covers_tcp_port(port) && !rule.world_ranges().is_empty();
            let text = format!("    {} from {}", rule.port_label(), sources.join(", "));
            lines.push(if open {
                DocLine::styled(
                    format!("{text}  ← open to the internet on the DB port"),
                    Tone::Bad,
                )
            } else {
                DocLine::plain(text)
            });
        }
    }
}

/// The path from the internet, link by link: each subnet of its DB subnet
/// group, the route table it uses and where its default routes lead, then
/// what the whole path (with the flag and the groups) adds up to.
fn network_section(index: &FleetIndex<'_>, i: &Instance, groups: &[String], lines: &mut Doc) {
    let path = internet_path(index, &i.region, &i.subnet_ids, groups, i.port);
    lines.push(section(&format!(
        "Network path: subnet → route table → gateway ({} subnet(s){})",
        path.subnets.len(),
        i.vpc_id
            .as_deref()
            .map(|v| format!(" in {v}"))
            .unwrap_or_default()
    )));
    if path.subnets.is_empty() {
        lines.push(DocLine::styled("  subnets not reported", Tone::Warn));
    }
    // Subnets on one table share its routes: one line for them all.
    let mut shared: Vec<(String, Link, Vec<String>)> = Vec::new();
    for s in &path.subnets {
        let zone = s
            .subnet
            .and_then(|x| x.availability_zone.as_deref())
            .unwrap_or("?");
        let name = format!("{} ({zone})", s.id);
        let hops = hop_summary(s);
        match shared.iter_mut().find(|(h, _, _)| *h == hops) {
            Some((_, _, names)) => names.push(name),
            None => shared.push((hops, s.state(), vec![name])),
        }
    }
    for (hops, state, names) in shared {
        let (mark, tone) = match state {
            Link::Open => ("open to the internet", Tone::Bad),
            Link::Closed => ("no internet route", Tone::Good),
            Link::Unknown => ("unknown", Tone::Warn),
        };
        lines.push(DocLine::new(vec![
            span(format!("  {mark}: "), tone),
            raw(format!("{} → {hops}", names.join(", "))),
        ]));
    }
    let (text, tone) = if !i.publicly_accessible {
        (
            "PubliclyAccessible=false: no public address, so no path from the internet".to_string(),
            Tone::Good,
        )
    } else {
        match path.reach() {
            Reach::Reachable(p) => (format!("reachable from the internet: {p}"), Tone::Bad),
            Reach::Closed(link) => (format!("public flag set, but closed: {link}"), Tone::Warn),
            Reach::Unknown(why) => (format!("unknown: {why}"), Tone::Warn),
        }
    };
    lines.push(DocLine::styled(format!("  {text}"), tone));
}
