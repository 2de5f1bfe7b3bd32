//! Synthetic CloudTrail log files, for the activity benchmark: records of
//! the size and mix a busy account delivers (S3 data events, EC2 and STS
//! calls, KMS used by services), a small share of them RDS calls. The same
//! seed gives the same bytes.

use std::io::{self, Write};

use super::Rng;

const ACCOUNT: &str = "111122223333";
const REGIONS: [&str; 4] = ["us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"];
const RDS_CALLS: [(&str, &str); 6] = [
    ("DescribeDBInstances", "{\"maxRecords\":100}"),
    ("DescribeDBClusterSnapshots", "{\"includeShared\":false}"),
    (
        "CreateDBSnapshot",
        "{\"dBSnapshotIdentifier\":\"orders-manual-{n}\",\"dBInstanceIdentifier\":\"orders-{n}\"}",
    ),
    (
        "ModifyDBClusterSnapshotAttribute",
        "{\"dBClusterSnapshotIdentifier\":\"ledger-{n}\",\"attributeName\":\"restore\",\"valuesToAdd\":[\"444455556666\"]}",
    ),
    (
        "CopyDBSnapshot",
        "{\"sourceDBSnapshotIdentifier\":\"arn:aws:rds:us-east-1:111122223333:snapshot:billing-{n}\",\"targetDBSnapshotIdentifier\":\"billing-{n}-copy\",\"kmsKeyId\":\"alias/dr\"}",
    ),
    (
        "StartExportTask",
        "{\"exportTaskIdentifier\":\"export-{n}\",\"sourceArn\":\"arn:aws:rds:us-east-1:111122223333:snapshot:billing-{n}\",\"s3BucketName\":\"analytics-drop\",\"iamRoleArn\":\"arn:aws:iam::111122223333:role/export\",\"kmsKeyId\":\"alias/export\"}",
    ),
];

/// A writer that counts what passes through it: the uncompressed size.
struct Counted<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Write one trail file, `{"Records":[...]}`, of `records` records of which
/// about `rds_percent` in a hundred are RDS calls, to `out`. Returns the
/// bytes written (JSON, before any compression `out` applies).
pub fn write_trail_file(
    out: impl Write,
    records: usize,
    rds_percent: u64,
    seed: u64,
) -> io::Result<u64> {
    let mut rng = Rng(seed);
    let mut out = Counted {
        inner: io::BufWriter::with_capacity(64 * 1024, out),
        bytes: 0,
    };
    out.write_all(b"{\"Records\":[")?;
    let region = REGIONS[rng.below(REGIONS.len())];
    let start = 1_772_400_000 + rng.below(86_400 * 30) as u64;
    for n in 0..records {
        if n > 0 {
            out.write_all(b",")?;
        }
        let time = humantime::format_rfc3339_seconds(
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(start + (n as u64) / 20),
        );
        let common = Common {
            id: uuid(&mut rng),
            request: uuid(&mut rng),
            time: time.to_string(),
            region,
            ip: format!(
                "{}.{}",
                ["203.0.113", "198.51.100", "192.0.2"][rng.below(3)],
                rng.below(254) + 1
            ),
        };
        if rng.chance(rds_percent) {
            rds_record(&mut out, &common, &mut rng, n)?;
        } else {
            other_record(&mut out, &common, &mut rng)?;
        }
    }
    out.write_all(b"]}")?;
    out.flush()?;
    Ok(out.bytes)
}

struct Common {
    id: String,
    request: String,
    time: String,
    region: &'static str,
    ip: String,
}

fn uuid(rng: &mut Rng) -> String {
    let a = rng.next();
    let b = rng.next();
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

fn user(rng: &mut Rng) -> String {
    let role = ["Admin", "ci-deployer", "DataPipeline", "ReadOnly"][rng.below(4)];
    format!(
        "{{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLE{:08X}:session-{}\",\"arn\":\"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/session-{}\",\"accountId\":\"{ACCOUNT}\",\"accessKeyId\":\"ASIA{:016X}\",\"sessionContext\":{{\"sessionIssuer\":{{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLE{:08X}\",\"arn\":\"arn:aws:iam::{ACCOUNT}:role/{role}\",\"accountId\":\"{ACCOUNT}\",\"userName\":\"{role}\"}},\"attributes\":{{\"creationDate\":\"2026-03-01T00:00:00Z\",\"mfaAuthenticated\":\"false\"}}}}}}",
        rng.below(1 << 30),
        rng.below(100_000),
        rng.below(100_000),
        rng.next(),
        rng.below(1 << 30),
    )
}

fn rds_record(out: &mut impl Write, c: &Common, rng: &mut Rng, n: usize) -> io::Result<()> {
    let (name, params) = RDS_CALLS[rng.below(RDS_CALLS.len())];
    let params = params.replace("{n}", &n.to_string());
    write!(
        out,
        "{{\"eventVersion\":\"1.09\",\"userIdentity\":{},\"eventTime\":\"{}\",\"eventSource\":\"rds.amazonaws.com\",\"eventName\":\"{name}\",\"awsRegion\":\"{}\",\"sourceIPAddress\":\"{}\",\"userAgent\":\"aws-cli/2.15.30 md/Botocore#1.34.64 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8\",\"requestParameters\":{params},\"responseElements\":null,\"requestID\":\"{}\",\"eventID\":\"{}\",\"readOnly\":false,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"{ACCOUNT}\",\"eventCategory\":\"Management\"}}",
        user(rng),
        c.time,
        c.region,
        c.ip,
        c.request,
        c.id
    )
}

/// A record of another service: S3 object reads (the bulk of a busy
/// trail with data events), EC2 and STS calls, KMS used by a service.
fn other_record(out: &mut impl Write, c: &Common, rng: &mut Rng) -> io::Result<()> {
    let (source, name, params, resources) = match rng.below(10) {
        0..=4 => {
            let bucket = ["acme-logs", "acme-assets", "analytics-raw"][rng.below(3)];
            let key = format!("data/{:x}/{:x}.parquet", rng.next(), rng.next());
            (
                "s3.amazonaws.com",
                "GetObject",
                format!(
                    "{{\"bucketName\":\"{bucket}\",\"Host\":\"{bucket}.s3.{}.amazonaws.com\",\"key\":\"{key}\"}}",
                    c.region
                ),
                format!(
                    ",\"resources\":[{{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::{bucket}/{key}\"}},{{\"accountId\":\"{ACCOUNT}\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::{bucket}\"}}],\"additionalEventData\":{{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":0,\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"{:x}{:x}\",\"bytesTransferredOut\":{}}}",
                    rng.next(),
                    rng.next(),
                    rng.below(50_000_000)
                ),
            )
        }
        5..=6 => (
            "ec2.amazonaws.com",
            "DescribeInstances",
            format!(
                "{{\"instancesSet\":{{\"items\":[{{\"instanceId\":\"i-{:017x}\"}}]}},\"filterSet\":{{}}}}",
                rng.next() >> 4
            ),
            String::new(),
        ),
        7 => (
            "sts.amazonaws.com",
            "AssumeRole",
            format!(
                "{{\"roleArn\":\"arn:aws:iam::{ACCOUNT}:role/DataPipeline\",\"roleSessionName\":\"job-{}\",\"durationSeconds\":3600}}",
                rng.below(1_000_000)
            ),
            String::new(),
        ),
        _ => (
            "kms.amazonaws.com",
            "Decrypt",
            format!(
                "{{\"encryptionContext\":{{\"aws:s3:arn\":\"arn:aws:s3:::acme-assets/{:x}\"}},\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}}",
                rng.next()
            ),
            format!(
                ",\"resources\":[{{\"accountId\":\"{ACCOUNT}\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"arn:aws:kms:{}:{ACCOUNT}:key/{}\"}}]",
                c.region,
                uuid(rng)
            ),
        ),
    };
    write!(
        out,
        "{{\"eventVersion\":\"1.09\",\"userIdentity\":{},\"eventTime\":\"{}\",\"eventSource\":\"{source}\",\"eventName\":\"{name}\",\"awsRegion\":\"{}\",\"sourceIPAddress\":\"{}\",\"userAgent\":\"aws-sdk-java/2.25.10 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy\",\"requestParameters\":{params},\"responseElements\":null,\"requestID\":\"{}\",\"eventID\":\"{}\",\"readOnly\":true{resources},\"eventType\":\"AwsApiCall\",\"managementEvent\":{},\"recipientAccountId\":\"{ACCOUNT}\",\"eventCategory\":\"{}\",\"tlsDetails\":{{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"{}\"}}}}",
        user(rng),
        c.time,
        c.region,
        c.ip,
        c.request,
        c.id,
        source != "s3.amazonaws.com",
        if source == "s3.amazonaws.com" {
            "Data"
        } else {
            "Management"
        },
        source,
    )
}
