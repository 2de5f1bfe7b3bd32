//! The five lists of a region, read a page at a time. Each page goes to
//! the sink as soon as it is complete enough to judge.

use aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput;
use futures::{Stream, StreamExt, stream};
use std::pin::pin;

use super::sharing::{Sharing, cluster_snapshot_restore, db_snapshot_restore, fill_sharing};
use super::{Sink, is_rds_engine, sharing};
use crate::model::{Cluster, Fleet, Instance, ResourceList, SecurityGroup, Snapshot};
use crate::source::aws::RegionClients;
use crate::source::aws::convert;
use crate::source::aws::error::CallError;
use crate::source::{LoadEvent, LoadPart};

/// What one list gave: every page that arrived, and the error that
/// stopped it, if one did.
pub(super) struct Listed<T> {
    pub items: Vec<T>,
    pub error: Option<CallError>,
    /// Snapshots whose sharing could not be read.
    pub sharing_error: Option<CallError>,
}

/// One part being read: counts its resources and reports its pages.
struct Part<'a> {
    part: LoadPart,
    sink: Sink<'a>,
    count: usize,
}

impl<'a> Part<'a> {
    fn new(c: &RegionClients, what: ResourceList, sink: Sink<'a>) -> Self {
        Self {
            part: LoadPart {
                region: c.region.clone(),
                what,
            },
            sink,
            count: 0,
        }
    }

    fn page(&mut self, fragment: Fleet) {
        self.count += fragment.listed_count();
        (self.sink)(LoadEvent::Page {
            part: self.part.clone(),
            fragment,
        });
    }

    fn finish<T>(self, items: Vec<T>, error: Option<CallError>) -> Listed<T> {
        let result = match &error {
            None => Ok(self.count),
            Some(e) => Err(e.message.clone()),
        };
        (self.sink)(LoadEvent::Finished {
            part: self.part,
            result,
        });
        Listed {
            items,
            error,
            sharing_error: None,
        }
    }
}

/// One page, converted: its resources, and the snapshots among them whose
/// sharing could not be read.
struct Page<T> {
    items: Vec<T>,
    unknown_sharing: Vec<(String, CallError)>,
}

impl<T> Page<T> {
    /// A page of resources that carry no sharing.
    fn plain(items: Vec<T>) -> Self {
        Self {
            items,
            unknown_sharing: Vec::new(),
        }
    }
}

/// The pages of a paginated request as a stream, each page or the error
/// that ends the list. A macro because every request's paginator is its
/// own type.
macro_rules! pages {
    ($c:expr, $request:expr) => {{
        let c: &RegionClients = $c;
        stream::unfold(
            $request.into_paginator().send(),
            move |mut pages| async move {
                let answer = pages.next().await?;
                Some((answer.map_err(|e| c.error(&e)), pages))
            },
        )
    }};
}

/// Read a list to its end or its first error, giving each page to the
/// sink as a fragment made by `wrap`. The pages that arrived before an
/// error are kept.
async fn read_pages<T: Clone>(
    mut part: Part<'_>,
    pages: impl Stream<Item = Result<Page<T>, CallError>>,
    wrap: fn(Vec<T>) -> Fleet,
) -> Listed<T> {
    let mut pages = pin!(pages);
    let mut items = Vec::new();
    let mut unknown = Vec::new();
    let mut error = None;
    while let Some(answer) = pages.next().await {
        match answer {
            Ok(page) => {
                part.page(wrap(page.items.clone()));
                items.extend(page.items);
                unknown.extend(page.unknown_sharing);
            }
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    let mut listed = part.finish(items, error);
    listed.sharing_error = sharing::summarize(unknown);
    listed
}

pub(super) async fn list_clusters(c: &RegionClients, sink: Sink<'_>) -> Listed<Cluster> {
    let pages = pages!(c, c.rds.describe_db_clusters()).map(|answer| {
        let page = answer?;
        let clusters = page
            .db_clusters()
            .iter()
            .map(|x| convert::cluster(x, &c.region));
        Ok(Page::plain(
            clusters.filter(|x| is_rds_engine(&x.engine)).collect(),
        ))
    });
    let part = Part::new(c, ResourceList::DbClusters, sink);
    read_pages(part, pages, |clusters| Fleet {
        clusters,
        ..Fleet::default()
    })
    .await
}

pub(super) async fn list_instances(c: &RegionClients, sink: Sink<'_>) -> Listed<Instance> {
    let pages = pages!(c, c.rds.describe_db_instances()).map(|answer| {
        let page = answer?;
        let instances = page
            .db_instances()
            .iter()
            .map(|x| convert::instance(x, &c.region));
        Ok(Page::plain(
            instances.filter(|x| is_rds_engine(&x.engine)).collect(),
        ))
    });
    let part = Part::new(c, ResourceList::DbInstances, sink);
    read_pages(part, pages, |instances| Fleet {
        instances,
        ..Fleet::default()
    })
    .await
}

pub(super) async fn list_db_snapshots(c: &RegionClients, sink: Sink<'_>) -> Listed<Snapshot> {
    let pages = pages!(c, c.rds.describe_db_snapshots()).then(|answer| async move {
        let page = answer?;
        let snapshots = page.db_snapshots().iter();
        let snapshots = snapshots
            .map(|x| convert::db_snapshot(x, &c.region))
            .collect();
        Ok(with_sharing(c, snapshots, |id| db_snapshot_restore(c, id)).await)
    });
    let part = Part::new(c, ResourceList::DbSnapshots, sink);
    read_pages(part, pages, snapshots_fragment).await
}

pub(super) async fn list_cluster_snapshots(c: &RegionClients, sink: Sink<'_>) -> Listed<Snapshot> {
    let pages = pages!(c, c.rds.describe_db_cluster_snapshots()).then(|answer| async move {
        let page = answer?;
        let snapshots = page.db_cluster_snapshots().iter();
        let snapshots = snapshots
            .map(|x| convert::cluster_snapshot(x, &c.region))
            .collect();
        Ok(with_sharing(c, snapshots, |id| cluster_snapshot_restore(c, id)).await)
    });
    let part = Part::new(c, ResourceList::DbClusterSnapshots, sink);
    read_pages(part, pages, snapshots_fragment).await
}

/// A page of snapshots, RDS engines only, with its sharing filled in
/// before it is shown: a public snapshot must never look private because
/// its attributes had not arrived yet.
async fn with_sharing<Fut>(
    c: &RegionClients,
    mut snapshots: Vec<Snapshot>,
    restore: impl Fn(String) -> Fut,
) -> Page<Snapshot>
where
    Fut: Future<Output = Sharing>,
{
    snapshots.retain(|x| is_rds_engine(&x.engine));
    let unknown_sharing = fill_sharing(&c.attribute_slots, &mut snapshots, restore).await;
    Page {
        items: snapshots,
        unknown_sharing,
    }
}

fn snapshots_fragment(snapshots: Vec<Snapshot>) -> Fleet {
    Fleet {
        snapshots,
        ..Fleet::default()
    }
}

/// The region's security groups, and the account that owns them.
pub(super) async fn list_security_groups(
    c: &RegionClients,
    sink: Sink<'_>,
) -> (Listed<SecurityGroup>, Option<String>) {
    let mut owner: Option<String> = None;
    let pages = pages!(c, c.ec2.describe_security_groups()).map(|answer| {
        let page = answer?;
        owner = owner.take().or_else(|| group_owner(&page));
        let groups = page.security_groups().iter();
        Ok(Page::plain(
            groups
                .map(|g| convert::security_group(g, &c.region))
                .collect(),
        ))
    });
    let part = Part::new(c, ResourceList::SecurityGroups, sink);
    let listed = read_pages(part, pages, |security_groups| Fleet {
        security_groups,
        ..Fleet::default()
    })
    .await;
    (listed, owner)
}

/// The account that owns a page's security groups.
fn group_owner(page: &DescribeSecurityGroupsOutput) -> Option<String> {
    page.security_groups()
        .iter()
        .find_map(|g| g.owner_id().filter(|o| !o.is_empty()))
        .map(str::to_string)
}
