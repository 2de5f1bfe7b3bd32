//! A stand-in for CloudTrail's `LookupEvents`, which moto does not
//! implement: a local HTTP server speaking CloudTrail's JSON protocol
//! (awsJson1_1: `POST /`, `X-Amz-Target`, a JSON body), answering what the
//! test's script says and recording every request with when it arrived,
//! for which region it was signed and what it asked.
//!
//! One request per connection (`Connection: close`), each on its own
//! thread, so arrival times are when the client sent them.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Instant, SystemTime};

/// How `X-Amz-Target` names LookupEvents: the service shape and the
/// operation. (The AWS SDK for Rust sends this; botocore prefixes it with
/// `com.amazonaws.cloudtrail.v20131101.`; CloudTrail takes both.)
pub const LOOKUP_EVENTS: &str = "CloudTrail_20131101.LookupEvents";

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Request {
    pub at: Instant,
    pub method: String,
    pub path: String,
    /// The region of the SigV4 credential scope.
    pub region: String,
    /// The service of the credential scope (`cloudtrail`).
    pub service: String,
    pub target: String,
    pub content_type: String,
    pub body: Value,
}

impl Request {
    /// `NextToken` of the request, if it asks for a later page.
    pub fn next_token(&self) -> Option<&str> {
        self.body["NextToken"].as_str()
    }
}

/// An HTTP status and a JSON body.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// A page of events, and the token of the next page if there is one.
pub fn page(events: &[Value], next: Option<&str>) -> Answer {
    let mut body = json!({ "Events": events });
    if let Some(token) = next {
        body["NextToken"] = json!(token);
    }
    Answer {
        status: 200,
        body: body.to_string(),
    }
}

/// An error as CloudTrail words it (`ThrottlingException`, …).
pub fn error(status: u16, code: &str, message: &str) -> Answer {
    Answer {
        status,
        body: json!({ "__type": code, "message": message }).to_string(),
    }
}

type Script = dyn Fn(&Request) -> Answer + Send + Sync;

pub struct FakeCloudTrail {
    pub url: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl FakeCloudTrail {
    pub fn start(script: impl Fn(&Request) -> Answer + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let script: Arc<Script> = Arc::new(script);
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let (seen, script) = (Arc::clone(&seen), Arc::clone(&script));
                thread::spawn(move || serve(conn, &seen, &*script));
            }
        });
        FakeCloudTrail { url, requests }
    }

    /// Every request so far, in the order they arrived.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// The requests signed for `region`, in order.
    pub fn requests_in(&self, region: &str) -> Vec<Request> {
        let all = self.requests();
        all.into_iter().filter(|r| r.region == region).collect()
    }
}

fn serve(mut conn: TcpStream, seen: &Mutex<Vec<Request>>, script: &Script) {
    let Some(request) = read_request(&conn) else {
        return;
    };
    // Recorded and answered under one lock: the script sees the requests
    // in the order they are recorded.
    let answer = {
        let mut seen = seen.lock().unwrap();
        seen.push(request.clone());
        script(&request)
    };
    let reason = if answer.status == 200 { "OK" } else { "Error" };
    let _ = write!(
        conn,
        "HTTP/1.1 {} {reason}\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: fake-{}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        answer.status,
        seen.lock().unwrap().len(),
        answer.body.len(),
        answer.body
    );
}

fn read_request(conn: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(conn.try_clone().ok()?);
    let mut first = String::new();
    reader.read_line(&mut first).ok()?;
    let at = Instant::now();
    let mut parts = first.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let length: usize = header("content-length").parse().unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    // `Credential=KEY/DATE/REGION/SERVICE/aws4_request`
    let authorization = header("authorization");
    let scope: Vec<&str> = authorization
        .split("Credential=")
        .nth(1)
        .unwrap_or_default()
        .split(',')
        .next()
        .unwrap_or_default()
        .split('/')
        .collect();
    Some(Request {
        at,
        method,
        path,
        region: scope.get(2).unwrap_or(&"").to_string(),
        service: scope.get(3).unwrap_or(&"").to_string(),
        target: header("x-amz-target"),
        content_type: header("content-type"),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    })
}

/// Seconds since the epoch of an RFC 3339 time.
pub fn epoch(time: &str) -> u64 {
    humantime::parse_rfc3339(time)
        .unwrap()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A LookupEvents event around a CloudTrail `record`, as CloudTrail
/// summarises it: the record itself travels as a JSON string.
pub fn summary(record: &Value) -> Value {
    let time = record["eventTime"].as_str().unwrap();
    let username = record["userIdentity"]["userName"]
        .as_str()
        .or_else(|| record["userIdentity"]["sessionContext"]["sessionIssuer"]["userName"].as_str())
        .unwrap_or("root");
    json!({
        "EventId": record["eventID"],
        "EventName": record["eventName"],
        "ReadOnly": "false",
        "AccessKeyId": record["userIdentity"]["accessKeyId"],
        "EventTime": epoch(time),
        "EventSource": record["eventSource"],
        "Username": username,
        "Resources": [],
        "CloudTrailEvent": record.to_string(),
    })
}

/// An IAM user making a cluster snapshot public, as CloudTrail records it.
pub fn share_record(id: &str, time: &str, region: &str) -> Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLEDEVALICE1",
            "arn": "arn:aws:iam::123456789012:user/dev-alice",
            "accountId": "123456789012",
            "accessKeyId": "AKIAEXAMPLEDEVALICE1",
            "userName": "dev-alice"
        },
        "eventTime": time,
        "eventSource": "rds.amazonaws.com",
        "eventName": "ModifyDBClusterSnapshotAttribute",
        "awsRegion": region,
        "sourceIPAddress": "198.51.100.23",
        "userAgent": "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe command/rds.modify-db-cluster-snapshot-attribute",
        "requestParameters": {
            "dBClusterSnapshotIdentifier": "orders-manual-2026-11-29",
            "attributeName": "restore",
            "valuesToAdd": ["all"]
        },
        "responseElements": {
            "dBClusterSnapshotIdentifier": "orders-manual-2026-11-29",
            "dBClusterSnapshotAttributes": [
                { "attributeName": "restore", "attributeValues": ["all"] }
            ]
        },
        "requestID": "3c9e1f5e-8f64-4a8e-a7a4-0b8a5f0e6d21",
        "eventID": id,
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "123456789012",
        "eventCategory": "Management",
        "tlsDetails": {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": format!("rds.{region}.amazonaws.com")
        }
    })
}

/// An assumed role refused a snapshot listing, as CloudTrail records it.
pub fn denied_record(id: &str, time: &str, region: &str) -> Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "AssumedRole",
            "principalId": "AROAEXAMPLEPROBE0001:probe",
            "arn": "arn:aws:sts::123456789012:assumed-role/unknown-probe/probe",
            "accountId": "123456789012",
            "accessKeyId": "ASIAEXAMPLEPROBE0001",
            "sessionContext": {
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": "AROAEXAMPLEPROBE0001",
                    "arn": "arn:aws:iam::123456789012:role/unknown-probe",
                    "accountId": "123456789012",
                    "userName": "unknown-probe"
                },
                "attributes": {
                    "creationDate": "2026-11-30T03:00:00Z",
                    "mfaAuthenticated": "false"
                }
            }
        },
        "eventTime": time,
        "eventSource": "rds.amazonaws.com",
        "eventName": "DescribeDBClusterSnapshots",
        "awsRegion": region,
        "sourceIPAddress": "203.0.113.200",
        "userAgent": "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.12.1",
        "errorCode": "AccessDenied",
        "errorMessage": "User: arn:aws:sts::123456789012:assumed-role/unknown-probe/probe is not authorized to perform: rds:DescribeDBClusterSnapshots on resource: arn:aws:rds:us-east-1:123456789012:cluster-snapshot:* because no identity-based policy allows the rds:DescribeDBClusterSnapshots action",
        "requestParameters": null,
        "responseElements": null,
        "requestID": "8d1f0c0e-2b7a-4c55-9a43-5f1e7f0d9b10",
        "eventID": id,
        "readOnly": true,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "123456789012",
        "eventCategory": "Management"
    })
}
