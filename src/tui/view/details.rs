//! The details pane: every attribute of the selected row, its findings
//! with reasons and compliance ids, and related resources.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::model::{Cluster, Instance, ResourceRef, Snapshot, SnapshotKind};
use crate::model::{FleetIndex, instance_groups};
use crate::remediation::PlanOptions;
use crate::rules::{Finding, plan_for, rule_info};
use crate::tui::app::App;
use crate::tui::rows::{Row, sharing};
use crate::tui::theme::Theme;

fn title_and_lines(app: &App, theme: &Theme) -> (String, Vec<Line<'static>>) {
    match app.selected_row() {
        Some(row) => content(app, row, theme),
        None => (
            " Details ".to_string(),
            vec![Line::styled("nothing selected", theme.dim())],
        ),
    }
}

/// The furthest the details of the selected row can scroll in `area`.
pub fn max_scroll(app: &App, area: Rect) -> u16 {
    let (_, lines) = title_and_lines(app, &Theme { color: false });
    let inner = Block::default().borders(Borders::ALL).inner(area);
    (super::wrapped_height(&lines, inner.width) as u16).saturating_sub(inner.height)
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let (title, lines) = title_and_lines(app, theme);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(false))
        .title(title);
    let inner = block.inner(area);
    let total = super::wrapped_height(&lines, inner.width);
    let offset = app.details_offset() as usize;
    if total > offset + inner.height as usize {
        block = block.title_bottom(Line::styled(" ↓ more: J/K scroll ", theme.key()));
    } else if offset > 0 {
        block = block.title_bottom(Line::styled(" ↑ K scrolls back ", theme.key()));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((app.details_offset(), 0)),
        area,
    );
}

/// Non-breaking space: wrapping may split between fields, never inside one.
const NBSP: &str = "\u{a0}";

fn field(name: &str, value: impl Into<String>) -> Span<'static> {
    let value = value.into().replace(' ', NBSP);
    Span::raw(format!("{name}{NBSP}{value}   "))
}

fn flag(name: &str, value: bool, risky_when: bool, theme: &Theme) -> Span<'static> {
    let text = format!("{name}{NBSP}{}   ", if value { "yes" } else { "no" });
    if value == risky_when {
        Span::styled(text, theme.bad())
    } else {
        Span::raw(text)
    }
}

fn section(title: &str, theme: &Theme) -> Line<'static> {
    Line::styled(title.to_string(), theme.header())
}

fn content<'a>(app: &'a App, row: Row<'a>, theme: &Theme) -> (String, Vec<Line<'static>>) {
    match row {
        Row::Cluster(c) => (format!(" cluster {} ", c.id), cluster_lines(app, c, theme)),
        Row::Instance(i) => (
            format!(" instance {} ", i.id),
            instance_lines(app, i, theme),
        ),
        Row::Snapshot(s) => (
            format!(" snapshot {} ", s.id),
            snapshot_lines(app, s, theme),
        ),
        Row::Finding(f) => (
            format!(" finding {} ", f.rule),
            finding_lines(app, f, theme),
        ),
    }
}

fn findings_section(
    app: &App,
    resource: &ResourceRef,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) {
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
        lines.push(Line::styled("✓ no findings", theme.good()));
        return;
    }
    lines.push(section(&format!("Findings ({})", findings.len()), theme));
    for f in findings {
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} {} ", f.severity.symbol(), f.severity.label()),
                theme.severity(Some(f.severity)),
            ),
            Span::raw(format!("{}: {}", f.rule, f.reason)),
        ]));
        lines.push(Line::styled(
            format!("    {}", f.compliance.join(" · ")),
            theme.dim(),
        ));
    }
}

fn cluster_lines(app: &App, c: &Cluster, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::from(vec![
            field("engine", format!("{} {}", c.engine, c.engine_version)),
            field("status", &c.status),
            field("region", &c.region),
            field("port", c.port.to_string()),
        ]),
        Line::from(vec![
            flag("encrypted", c.storage_encrypted, false, theme),
            flag("multi-az", c.multi_az, false, theme),
            field("backups", format!("{}d", c.backup_retention_days)),
            flag("deletion-protection", c.deletion_protection, false, theme),
            flag("iam-auth", c.iam_auth_enabled, false, theme),
        ]),
        Line::from(vec![
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
    pending(&c.pending_changes, theme, &mut lines);
    findings_section(app, &c.resource_ref(), theme, &mut lines);
    if let Some(arn) = &c.arn {
        lines.push(Line::styled(arn.clone(), theme.dim()));
    }
    lines.push(section(&format!("Members ({})", c.members.len()), theme));
    for m in &c.members {
        let instance = app.fleet.instance(&c.region, &m.instance_id);
        let zone = instance
            .and_then(|i| i.availability_zone.clone())
            .unwrap_or_else(|| "?".into());
        let status = instance
            .map(|i| i.status.clone())
            .unwrap_or_else(|| "not loaded".into());
        lines.push(Line::raw(format!(
            "  {} {} · {} · {}",
            m.instance_id,
            if m.is_writer { "(writer)" } else { "(reader)" },
            zone,
            status
        )));
    }
    snapshots_of(
        app,
        &c.region,
        SnapshotKind::Cluster,
        &c.id,
        theme,
        &mut lines,
    );
    groups_section(
        app,
        &c.region,
        &c.security_group_ids,
        c.port,
        theme,
        &mut lines,
    );
    lines
}

fn instance_lines(app: &App, i: &Instance, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::from(vec![
            field("engine", format!("{} {}", i.engine, i.engine_version)),
            field("class", &i.class),
            field("status", &i.status),
            field("zone", i.availability_zone.clone().unwrap_or_default()),
            field("port", i.port.to_string()),
        ]),
        if i.cluster_id.is_some() {
            // These come from the cluster; the instance's own copies mislead.
            Line::from(vec![
                flag("public", i.publicly_accessible, true, theme),
                field(
                    "encryption/multi-az/backups/deletion-protection/iam-auth",
                    "via cluster",
                ),
            ])
        } else {
            Line::from(vec![
                flag("public", i.publicly_accessible, true, theme),
                flag("encrypted", i.storage_encrypted, false, theme),
                flag("multi-az", i.multi_az, false, theme),
                field("backups", format!("{}d", i.backup_retention_days)),
                flag("deletion-protection", i.deletion_protection, false, theme),
            ])
        },
        Line::from(vec![
            flag(
                "auto-minor-upgrade",
                i.auto_minor_version_upgrade,
                false,
                theme,
            ),
            if i.cluster_id.is_some() {
                Span::raw("")
            } else {
                flag("iam-auth", i.iam_auth_enabled, false, theme)
            },
            field("monitoring", format!("{}s", i.monitoring_interval_secs)),
            field(
                "master",
                i.master_username.clone().unwrap_or_else(|| "-".into()),
            ),
        ]),
    ];
    if let Some(source) = &i.replica_source {
        lines.push(Line::raw(format!(
            "read replica of {source}: backups are judged on the source"
        )));
    }
    if let Some(cluster) = &i.cluster_id {
        lines.push(Line::styled(
            format!("member of cluster {cluster}: Multi-AZ, backups, deletion protection and encryption are judged through the cluster"),
            theme.warn(),
        ));
    }
    pending(&i.pending_changes, theme, &mut lines);
    findings_section(app, &i.resource_ref(), theme, &mut lines);
    if let Some(endpoint) = &i.endpoint {
        lines.push(Line::styled(format!("endpoint {endpoint}"), theme.dim()));
    }

    let index = FleetIndex::new(&app.fleet);
    let groups = instance_groups(&index, i).to_vec();
    groups_section(app, &i.region, &groups, i.port, theme, &mut lines);
    match &i.cluster_id {
        // Aurora snapshots are of the cluster, never of one member.
        Some(cluster) => lines.push(Line::styled(
            format!("snapshots are taken of cluster {cluster}: see its details"),
            theme.dim(),
        )),
        None => snapshots_of(app, &i.region, SnapshotKind::Db, &i.id, theme, &mut lines),
    }
    lines
}

fn snapshot_lines(app: &App, s: &Snapshot, theme: &Theme) -> Vec<Line<'static>> {
    let shared = sharing(s);
    let mut lines = vec![
        Line::from(vec![
            field("kind", s.kind.label()),
            field("type", &s.snapshot_type),
            field("status", &s.status),
            field("engine", &s.engine),
            field("created", s.created.clone().unwrap_or_default()),
        ]),
        Line::from(vec![
            flag("encrypted", s.encrypted, false, theme),
            field("kms", s.kms_key_id.clone().unwrap_or_else(|| "-".into())),
            field("source", &s.source_id),
        ]),
        Line::from(vec![
            Span::raw("shared with (restore attribute): "),
            if s.is_public() {
                Span::styled("all — PUBLIC".to_string(), theme.bad())
            } else {
                Span::raw(shared)
            },
        ]),
    ];
    findings_section(app, &s.resource_ref(), theme, &mut lines);
    if let Some(arn) = &s.arn {
        lines.push(Line::styled(arn.clone(), theme.dim()));
    }
    lines
}

fn finding_lines(app: &App, f: &Finding, theme: &Theme) -> Vec<Line<'static>> {
    let info = rule_info(f.rule);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("{} {} ", f.severity.symbol(), f.severity.label()),
                theme.severity(Some(f.severity)),
            ),
            Span::styled(info.title.to_string(), theme.header()),
        ]),
        Line::raw(format!(
            "{} {} in {}",
            f.resource_type, f.resource_id, f.region
        )),
        Line::raw(format!("evidence: {}", f.reason)),
        Line::styled(
            format!("maps to: {}", f.compliance.join(" · ")),
            theme.dim(),
        ),
    ];
    if let Some(arn) = &f.arn {
        lines.push(Line::styled(arn.clone(), theme.dim()));
    }
    lines.push(section("Remediation", theme));
    match plan_for(&app.fleet, &app.rules, f, PlanOptions::default()) {
        Ok(plan) => {
            for (n, planned) in plan.steps.iter().enumerate() {
                lines.push(Line::from(vec![
                    Span::raw(format!(
                        "  {}. {} — {} ",
                        n + 1,
                        planned.step.api(),
                        planned.purpose
                    )),
                    Span::styled(
                        format!("[{}]", planned.step.impact()),
                        theme.impact(planned.step.impact()),
                    ),
                ]));
            }
            for caveat in &plan.caveats {
                lines.push(Line::styled(format!("  ⚠ {caveat}"), theme.warn()));
            }
            lines.push(Line::styled(
                "  press f to review the exact plan",
                theme.dim(),
            ));
        }
        Err(e) => lines.push(Line::raw(format!("  by hand: {e}"))),
    }
    lines
}

fn pending(changes: &[String], theme: &Theme, lines: &mut Vec<Line<'static>>) {
    if !changes.is_empty() {
        lines.push(Line::styled(
            format!("pending in the maintenance window: {}", changes.join(", ")),
            theme.warn(),
        ));
    }
}

fn snapshots_of(
    app: &App,
    region: &str,
    kind: SnapshotKind,
    source: &str,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) {
    let snapshots: Vec<&Snapshot> = app
        .fleet
        .snapshots
        .iter()
        .filter(|s| s.region == region && s.kind == kind && s.source_id == source)
        .collect();
    lines.push(section(&format!("Snapshots ({})", snapshots.len()), theme));
    for s in snapshots {
        let (worst, _) = app.risk_of(&s.resource_ref());
        let symbol = worst.map(|w| w.symbol()).unwrap_or("✓");
        lines.push(Line::from(vec![
            Span::styled(format!("  {symbol} "), theme.severity(worst)),
            Span::raw(format!(
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

fn groups_section(
    app: &App,
    region: &str,
    groups: &[String],
    port: u16,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) {
    lines.push(section(
        &format!("Security groups ({})", groups.len()),
        theme,
    ));
    for id in groups {
        let Some(group) = app.fleet.security_group(region, id) else {
            lines.push(Line::styled(format!("  {id} (not loaded)"), theme.warn()));
            continue;
        };
        lines.push(Line::raw(format!("  {} ({})", group.id, group.name)));
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
                Line::styled(
                    format!("{text}  ← open to the internet on the DB port"),
                    theme.bad(),
                )
            } else {
                Line::raw(text)
            });
        }
    }
}
