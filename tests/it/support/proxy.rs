//! A fault-injecting HTTP proxy in front of moto: it passes requests
//! through unchanged, except that it can deny every call signed for one
//! region (as an SCP or a region-scoped policy would) or one action (a
//! policy without that permission), stop serving
//! after a number of requests (a server that dies mid-load), lose the
//! answer to a call the server carried out, or hold an answer back.
//!
//! It can also record every request body passing through, for the
//! parameters moto accepts but ignores (a `false` flag moto treats as
//! "not given"): the test then reads what was really sent.
//!
//! Plain HTTP/1.1 with one request per connection: the proxy adds
//! `Connection: close` both ways, and the SDK reconnects.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer every call signed for this region with AccessDenied.
    DenyRegion(String),
    /// Answer every call of this action (`DescribeSecurityGroups`,
    /// `DescribeNetworkInterfaces`) as a policy without it would.
    DenyAction(String),
    /// Serve this many requests, then drop every connection.
    StopAfter(usize),
    /// Pass the first call of this action (`CreateDBSnapshot`) to the
    /// server, then drop the connection instead of returning its answer.
    LoseAnswerTo(String),
    /// Hold back the answer to every call of this action for a while.
    Delay(String, Duration),
    /// Pass everything through, keeping each request body (form-encoded
    /// `Action=…&Name=value…` for RDS and EC2).
    Record(Arc<Mutex<Vec<String>>>),
    /// Pass everything through, replacing the first text by the second in
    /// every answer: what moto cannot say (a KMS key AWS manages).
    Replace(String, String),
}

/// The `Name=value` pairs of the recorded request for `action`, decoded.
pub fn sent_parameters(recorded: &Mutex<Vec<String>>, action: &str) -> Vec<(String, String)> {
    let bodies = recorded.lock().unwrap();
    let body = bodies
        .iter()
        .find(|b| b.split('&').any(|pair| pair == format!("Action={action}")))
        .unwrap_or_else(|| panic!("no {action} request recorded"));
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

/// Percent-decoding of a form value (`+` is a space).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

pub struct Proxy {
    pub url: String,
    stopped: Arc<AtomicBool>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
    }
}

impl Proxy {
    pub fn start(upstream: &str, fault: Fault) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").to_string();
        let stopped = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&stopped);
        let count = Arc::new(AtomicUsize::new(0));
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                if stop.load(Ordering::SeqCst) {
                    let _ = conn.shutdown(Shutdown::Both);
                    continue;
                }
                let (upstream, fault) = (upstream.clone(), fault.clone());
                let (stop, count) = (Arc::clone(&stop), Arc::clone(&count));
                thread::spawn(move || serve(conn, &upstream, &fault, &stop, &count));
            }
        });
        Proxy { url, stopped }
    }
}

fn serve(
    mut client: TcpStream,
    upstream: &str,
    fault: &Fault,
    stop: &AtomicBool,
    count: &AtomicUsize,
) {
    let Some((head, body)) = read_request(&client) else {
        return;
    };
    if let Fault::StopAfter(limit) = fault
        && count.fetch_add(1, Ordering::SeqCst) >= *limit
    {
        stop.store(true, Ordering::SeqCst);
        let _ = client.shutdown(Shutdown::Both);
        return;
    }
    if let Fault::DenyRegion(region) = fault
        && signed_for(&head, region)
    {
        let _ = client.write_all(denied(&head, region).as_bytes());
        return;
    }
    if let Fault::DenyAction(action) = fault
        && is_action(&body, action)
    {
        let _ = client.write_all(unauthorized(action).as_bytes());
        return;
    }
    if let Fault::Record(recorded) = fault {
        recorded
            .lock()
            .unwrap()
            .push(String::from_utf8_lossy(&body).into_owned());
    }
    let Ok(mut server) = TcpStream::connect(upstream) else {
        return;
    };
    let mut request = close_header(&head);
    request.extend_from_slice(&body);
    if server.write_all(&request).is_err() {
        return;
    }
    let mut response = Vec::new();
    let _ = server.read_to_end(&mut response);
    match fault {
        Fault::LoseAnswerTo(action)
            if is_action(&body, action) && count.fetch_add(1, Ordering::SeqCst) == 0 =>
        {
            let _ = client.shutdown(Shutdown::Both);
            return;
        }
        Fault::Delay(action, by) if is_action(&body, action) => thread::sleep(*by),
        Fault::Replace(from, to) => response = replaced(&response, from, to),
        _ => {}
    }
    let response = close_header_bytes(&response);
    let _ = client.write_all(&response);
}

/// The request head (through the blank line) and its body.
fn read_request(client: &TcpStream) -> Option<(String, Vec<u8>)> {
    let mut reader = BufReader::new(client.try_clone().ok()?);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((head, body))
}

/// RDS and EC2 take the form-encoded `Action=Name&…` query protocol.
fn is_action(body: &[u8], action: &str) -> bool {
    let body = String::from_utf8_lossy(body);
    body.split('&')
        .any(|pair| pair == format!("Action={action}"))
}

/// SigV4 names the region in the credential scope: `KEY/DATE/REGION/SERVICE/aws4_request`.
fn signed_for(head: &str, region: &str) -> bool {
    head.lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("authorization:"))
        .any(|l| l.contains(&format!("/{region}/")))
}

/// AccessDenied as the service would word it, for calls in `scope`.
fn denied(head: &str, scope: &str) -> String {
    let ec2 = head.contains("/ec2/aws4_request");
    let body = if ec2 {
        format!(
            "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation in {scope}.</Message></Error></Errors><RequestID>proxy</RequestID></Response>"
        )
    } else {
        format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to access {scope} (explicit deny in a service control policy)</Message></Error><RequestId>proxy</RequestId></ErrorResponse>"
        )
    };
    format!(
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// EC2's refusal of an action the caller's policy does not allow.
fn unauthorized(action: &str) -> String {
    let body = format!(
        "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform: ec2:{action}.</Message></Error></Errors><RequestID>proxy</RequestID></Response>"
    );
    format!(
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// The head with any `Connection` header replaced by `Connection: close`.
fn close_header(head: &str) -> Vec<u8> {
    let mut out = String::new();
    for line in head.split("\r\n").filter(|l| !l.is_empty()) {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    out.into_bytes()
}

fn close_header_bytes(response: &[u8]) -> Vec<u8> {
    let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") else {
        return response.to_vec();
    };
    let head = String::from_utf8_lossy(&response[..end + 4]).to_string();
    let mut out = close_header(&head);
    out.extend_from_slice(&response[end + 4..]);
    out
}

/// `response` with `from` replaced by `to` in its body, its
/// `Content-Length` told the new size.
fn replaced(response: &[u8], from: &str, to: &str) -> Vec<u8> {
    let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") else {
        return response.to_vec();
    };
    let body = String::from_utf8_lossy(&response[end + 4..]).replace(from, to);
    let head: Vec<String> = String::from_utf8_lossy(&response[..end])
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("content-length:"))
        .map(str::to_string)
        .collect();
    format!(
        "{}\r\nContent-Length: {}\r\n\r\n{body}",
        head.join("\r\n"),
        body.len()
    )
    .into_bytes()
}
