//! The network around the databases of a region, for "can the internet
//! reach it": subnets, route tables and internet gateways, each a
//! paginated EC2 list read like the others (a failure is a load error of
//! its own list, and the rest still loads).

use futures::StreamExt;

use super::lists::{Listed, Page, Part, pages, read_pages};
use super::{RegionLoad, Sink};
use crate::model::{Fleet, InternetGateway, Network, ResourceList, RouteTable, Subnet};
use crate::source::aws::RegionClients;
use crate::source::aws::convert;

/// The three lists of one region, as they answered.
pub(super) struct NetworkLists {
    subnets: Listed<Subnet>,
    route_tables: Listed<RouteTable>,
    gateways: Listed<InternetGateway>,
}

pub(super) async fn list_network(c: &RegionClients, sink: Sink<'_>) -> NetworkLists {
    let (subnets, route_tables, gateways) = futures::join!(
        list_subnets(c, sink),
        list_route_tables(c, sink),
        list_internet_gateways(c, sink),
    );
    NetworkLists {
        subnets,
        route_tables,
        gateways,
    }
}

/// What the lists gave, their failures recorded on the region's load.
pub(super) fn take(load: &mut RegionLoad, lists: NetworkLists) -> Network {
    Network {
        subnets: load.take(ResourceList::Subnets, lists.subnets),
        route_tables: load.take(ResourceList::RouteTables, lists.route_tables),
        internet_gateways: load.take(ResourceList::InternetGateways, lists.gateways),
    }
}

fn fragment(network: Network) -> Fleet {
    Fleet {
        network,
        ..Fleet::default()
    }
}

async fn list_subnets(c: &RegionClients, sink: Sink<'_>) -> Listed<Subnet> {
    let pages = pages!(c, c.ec2.describe_subnets()).map(|answer| {
        let page = answer?;
        let subnets = page.subnets().iter();
        Ok(Page::plain(
            subnets.map(|s| convert::subnet(s, &c.region)).collect(),
        ))
    });
    let part = Part::new(c, ResourceList::Subnets, sink);
    read_pages(part, pages, |subnets| {
        fragment(Network {
            subnets,
            ..Network::default()
        })
    })
    .await
}

async fn list_route_tables(c: &RegionClients, sink: Sink<'_>) -> Listed<RouteTable> {
    let pages = pages!(c, c.ec2.describe_route_tables()).map(|answer| {
        let page = answer?;
        let tables = page.route_tables().iter();
        Ok(Page::plain(
            tables.map(|t| convert::route_table(t, &c.region)).collect(),
        ))
    });
    let part = Part::new(c, ResourceList::RouteTables, sink);
    read_pages(part, pages, |route_tables| {
        fragment(Network {
            route_tables,
            ..Network::default()
        })
    })
    .await
}

async fn list_internet_gateways(c: &RegionClients, sink: Sink<'_>) -> Listed<InternetGateway> {
    let pages = pages!(c, c.ec2.describe_internet_gateways()).map(|answer| {
        let page = answer?;
        let gateways = page.internet_gateways().iter();
        Ok(Page::plain(
            gateways
                .map(|g| convert::internet_gateway(g, &c.region))
                .collect(),
        ))
    });
    let part = Part::new(c, ResourceList::InternetGateways, sink);
    read_pages(part, pages, |internet_gateways| {
        fragment(Network {
            internet_gateways,
            ..Network::default()
        })
    })
    .await
}
