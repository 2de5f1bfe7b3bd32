//! What the SDK's optimisation level costs at run time: one full page of
//! `rds:DescribeDBInstances` (100 instances) and of
//! `ec2:DescribeSecurityGroups` (1,000 groups, the largest page EC2
//! sends) through the real SDK clients and rdsight's HTTP client, from a
//! loopback server answering with a canned page. The time is the SDK's:
//! building and signing the request, the loopback round trip, and
//! deserialising the XML — the part `[profile.release.package.aws-sdk-*]`
//! changes (see BENCHMARKS.md "Build"). A real page also waits ~100–500 ms
//! on AWS.

use std::hint::black_box;
use std::sync::Arc;

use aws_config::BehaviorVersion;
use aws_sdk_rds::config::{Credentials, Region};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const INSTANCES: usize = 100;
const GROUPS: usize = 1_000;

fn db_instance(n: usize) -> String {
    format!(
        "<DBInstance><DBInstanceIdentifier>orders-db-{n}</DBInstanceIdentifier>\
<DBInstanceClass>db.r6g.large</DBInstanceClass><Engine>postgres</Engine>\
<DBInstanceStatus>available</DBInstanceStatus><MasterUsername>postgres</MasterUsername>\
<Endpoint><Address>orders-db-{n}.abcdefghijkl.eu-west-1.rds.amazonaws.com</Address><Port>5432</Port><HostedZoneId>Z29XKXDKYMONMX</HostedZoneId></Endpoint>\
<AllocatedStorage>100</AllocatedStorage><InstanceCreateTime>2025-03-14T09:26:53.589Z</InstanceCreateTime>\
<PreferredBackupWindow>03:00-03:30</PreferredBackupWindow><BackupRetentionPeriod>7</BackupRetentionPeriod>\
<DBSecurityGroups/><VpcSecurityGroups><VpcSecurityGroupMembership><VpcSecurityGroupId>sg-0a1b2c3d4e5f{n:05}</VpcSecurityGroupId><Status>active</Status></VpcSecurityGroupMembership></VpcSecurityGroups>\
<DBParameterGroups><DBParameterGroup><DBParameterGroupName>default.postgres16</DBParameterGroupName><ParameterApplyStatus>in-sync</ParameterApplyStatus></DBParameterGroup></DBParameterGroups>\
<AvailabilityZone>eu-west-1a</AvailabilityZone>\
<DBSubnetGroup><DBSubnetGroupName>db-private</DBSubnetGroupName><DBSubnetGroupDescription>private</DBSubnetGroupDescription><VpcId>vpc-0123456789abcdef0</VpcId><SubnetGroupStatus>Complete</SubnetGroupStatus><Subnets>\
<Subnet><SubnetIdentifier>subnet-0aaa{n:05}</SubnetIdentifier><SubnetAvailabilityZone><Name>eu-west-1a</Name></SubnetAvailabilityZone><SubnetOutpost/><SubnetStatus>Active</SubnetStatus></Subnet>\
<Subnet><SubnetIdentifier>subnet-0bbb{n:05}</SubnetIdentifier><SubnetAvailabilityZone><Name>eu-west-1b</Name></SubnetAvailabilityZone><SubnetOutpost/><SubnetStatus>Active</SubnetStatus></Subnet>\
</Subnets></DBSubnetGroup>\
<PreferredMaintenanceWindow>sun:04:00-sun:04:30</PreferredMaintenanceWindow><PendingModifiedValues/>\
<LatestRestorableTime>2026-12-02T11:00:00Z</LatestRestorableTime><MultiAZ>true</MultiAZ>\
<EngineVersion>16.4</EngineVersion><AutoMinorVersionUpgrade>true</AutoMinorVersionUpgrade>\
<ReadReplicaDBInstanceIdentifiers/><LicenseModel>postgresql-license</LicenseModel>\
<OptionGroupMemberships><OptionGroupMembership><OptionGroupName>default:postgres-16</OptionGroupName><Status>in-sync</Status></OptionGroupMembership></OptionGroupMemberships>\
<PubliclyAccessible>false</PubliclyAccessible><StorageType>gp3</StorageType><Iops>3000</Iops><StorageThroughput>125</StorageThroughput>\
<DbInstancePort>0</DbInstancePort><StorageEncrypted>true</StorageEncrypted>\
<KmsKeyId>arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab</KmsKeyId>\
<DbiResourceId>db-ABCDEFGHIJKLMNOPQRSTUV{n:04}</DbiResourceId><CACertificateIdentifier>rds-ca-rsa2048-g1</CACertificateIdentifier>\
<DomainMemberships/><CopyTagsToSnapshot>true</CopyTagsToSnapshot><MonitoringInterval>60</MonitoringInterval>\
<EnhancedMonitoringResourceArn>arn:aws:logs:eu-west-1:111122223333:log-group:RDSOSMetrics:log-stream:db-X{n}</EnhancedMonitoringResourceArn>\
<MonitoringRoleArn>arn:aws:iam::111122223333:role/rds-monitoring-role</MonitoringRoleArn>\
<DBInstanceArn>arn:aws:rds:eu-west-1:111122223333:db:orders-db-{n}</DBInstanceArn>\
<IAMDatabaseAuthenticationEnabled>false</IAMDatabaseAuthenticationEnabled>\
<PerformanceInsightsEnabled>true</PerformanceInsightsEnabled>\
<EnabledCloudwatchLogsExports><member>postgresql</member><member>upgrade</member></EnabledCloudwatchLogsExports>\
<DeletionProtection>true</DeletionProtection><AssociatedRoles/>\
<TagList><Tag><Key>team</Key><Value>orders</Value></Tag><Tag><Key>env</Key><Value>prod</Value></Tag><Tag><Key>cost-centre</Key><Value>cc-{n}</Value></Tag></TagList>\
<CustomerOwnedIpEnabled>false</CustomerOwnedIpEnabled><BackupTarget>region</BackupTarget><NetworkType>IPV4</NetworkType>\
<CertificateDetails><CAIdentifier>rds-ca-rsa2048-g1</CAIdentifier><ValidTill>2027-03-14T09:26:00Z</ValidTill></CertificateDetails>\
<DedicatedLogVolume>false</DedicatedLogVolume><IsStorageConfigUpgradeAvailable>false</IsStorageConfigUpgradeAvailable>\
<EngineLifecycleSupport>open-source-rds-extended-support</EngineLifecycleSupport></DBInstance>"
    )
}

fn instances_page() -> String {
    let items: String = (0..INSTANCES).map(db_instance).collect();
    format!(
        "<DescribeDBInstancesResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">\
<DescribeDBInstancesResult><DBInstances>{items}</DBInstances></DescribeDBInstancesResult>\
<ResponseMetadata><RequestId>7f4ab1c2-3d5e-4f60-8a71-92b3c4d5e6f7</RequestId></ResponseMetadata>\
</DescribeDBInstancesResponse>"
    )
}

fn security_group(n: usize) -> String {
    format!(
        "<item><groupId>sg-0a1b2c3d4e5f{n:05}</groupId><ownerId>111122223333</ownerId>\
<groupName>db-clients-{n}</groupName><groupDescription>who may reach the databases</groupDescription>\
<vpcId>vpc-0123456789abcdef0</vpcId><ipPermissions>\
<item><ipProtocol>tcp</ipProtocol><fromPort>5432</fromPort><toPort>5432</toPort><groups>\
<item><userId>111122223333</userId><groupId>sg-0fedcba98765{n:05}</groupId></item></groups>\
<ipRanges><item><cidrIp>10.0.0.0/16</cidrIp><description>office</description></item></ipRanges><ipv6Ranges/><prefixListIds/></item>\
<item><ipProtocol>tcp</ipProtocol><fromPort>3306</fromPort><toPort>3306</toPort><groups/>\
<ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges><item><cidrIpv6>::/0</cidrIpv6></item></ipv6Ranges><prefixListIds/></item>\
</ipPermissions><ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><groups/>\
<ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissionsEgress>\
<tagSet><item><key>team</key><value>orders</value></item></tagSet>\
<securityGroupArn>arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0a1b2c3d4e5f{n:05}</securityGroupArn></item>"
    )
}

fn groups_page() -> String {
    let items: String = (0..GROUPS).map(security_group).collect();
    format!(
        "<DescribeSecurityGroupsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
<requestId>7f4ab1c2-3d5e-4f60-8a71-92b3c4d5e6f7</requestId>\
<securityGroupInfo>{items}</securityGroupInfo></DescribeSecurityGroupsResponse>"
    )
}

/// A loopback HTTP/1.1 server answering every request with `body`
/// (keep-alive, so the benchmark measures pages, not connections).
async fn serve(body: Arc<String>) -> String {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let url = format!(
        "http://{}",
        listener
            .local_addr()
            .unwrap_or_else(|e| panic!("addr: {e}"))
    );
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(answer(stream, body.clone()));
        }
    });
    url
}

async fn answer(stream: tokio::net::TcpStream, body: Arc<String>) {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            match read.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) if line == "\r\n" => break,
                Ok(_) => {
                    let lower = line.to_ascii_lowercase();
                    if let Some(value) = lower.strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
            }
        }
        let mut request = vec![0; length];
        if read.read_exact(&mut request).await.is_err() {
            return;
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml;charset=UTF-8\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        if write.write_all(head.as_bytes()).await.is_err()
            || write.write_all(body.as_bytes()).await.is_err()
        {
            return;
        }
    }
}

async fn sdk_config(url: &str) -> aws_config::SdkConfig {
    let http = rdsight::source::aws::http::client().unwrap_or_else(|e| panic!("client: {e}"));
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .credentials_provider(Credentials::new("bench", "bench", None, None, "bench"))
        .region(Region::new("eu-west-1"))
        .endpoint_url(url)
        .load()
        .await
}

fn bench_pages(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("runtime: {e}"));
    let mut group = c.benchmark_group("sdk/page");
    group.sample_size(20);

    let page = Arc::new(instances_page());
    group.throughput(Throughput::Bytes(page.len() as u64));
    let rds = runtime.block_on(async {
        let config = sdk_config(&serve(page.clone()).await).await;
        aws_sdk_rds::Client::new(&config)
    });
    group.bench_function("rds-describe-db-instances-100", |b| {
        b.iter(|| {
            let out = runtime
                .block_on(rds.describe_db_instances().send())
                .unwrap_or_else(|e| panic!("describe: {e:?}"));
            assert_eq!(out.db_instances().len(), INSTANCES);
            black_box(out)
        });
    });

    let page = Arc::new(groups_page());
    group.throughput(Throughput::Bytes(page.len() as u64));
    let ec2 = runtime.block_on(async {
        let config = sdk_config(&serve(page.clone()).await).await;
        aws_sdk_ec2::Client::new(&config)
    });
    group.bench_function("ec2-describe-security-groups-1000", |b| {
        b.iter(|| {
            let out = runtime
                .block_on(ec2.describe_security_groups().send())
                .unwrap_or_else(|e| panic!("describe: {e:?}"));
            assert_eq!(out.security_groups().len(), GROUPS);
            black_box(out)
        });
    });
    group.finish();
}

criterion_group!(benches, bench_pages);
criterion_main!(benches);
