//! One CloudTrail record → one [`Event`], or nothing when it is not an RDS
//! call. Every field is hostile text: it is kept as data, never trusted for
//! shape, and a record missing what triage needs is still kept with what
//! it has (an empty field shows as such), because a half-logged call is
//! still part of the story. A field of the wrong type reads as absent; only
//! text that is not a JSON object at all is an error.

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

use super::detail::details;
use crate::model::{Event, Principal, PrincipalKind, RDS_EVENT_SOURCE};

/// A record that is not a JSON object of CloudTrail's shape.
#[derive(Debug, thiserror::Error)]
#[error("not a CloudTrail record: {0}")]
pub struct RecordError(#[from] serde_json::Error);

/// The fields of a record rdsight reads, borrowed from the text.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record<'a> {
    #[serde(borrow, default)]
    event_source: Text<'a>,
    #[serde(rename = "eventID", borrow, default)]
    event_id: Text<'a>,
    #[serde(borrow, default)]
    event_time: Text<'a>,
    #[serde(borrow, default)]
    event_name: Text<'a>,
    #[serde(borrow, default)]
    aws_region: Text<'a>,
    #[serde(rename = "sourceIPAddress", borrow, default)]
    source_ip_address: Text<'a>,
    #[serde(borrow, default)]
    user_agent: Text<'a>,
    #[serde(borrow, default)]
    error_code: Text<'a>,
    #[serde(borrow, default)]
    error_message: Text<'a>,
    #[serde(borrow, default)]
    recipient_account_id: Text<'a>,
    #[serde(borrow, default)]
    user_identity: Option<&'a RawValue>,
    #[serde(borrow, default)]
    request_parameters: Option<&'a RawValue>,
    #[serde(borrow, default)]
    response_elements: Option<&'a RawValue>,
}

/// `userIdentity`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Identity<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Text<'a>,
    #[serde(borrow, default)]
    arn: Text<'a>,
    #[serde(borrow, default)]
    account_id: Text<'a>,
    #[serde(borrow, default)]
    invoked_by: Text<'a>,
    #[serde(borrow, default)]
    session_context: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SessionContext<'a> {
    #[serde(borrow, default)]
    session_issuer: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SessionIssuer<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Text<'a>,
    #[serde(borrow, default)]
    arn: Text<'a>,
}

/// Parse one record. `Ok(None)` for a record of another service.
pub fn event_from_record(text: &str) -> Result<Option<Event>, RecordError> {
    // serde would read an array as a record's fields in order.
    if !text.trim_start().starts_with('{') {
        return Err(RecordError(serde::de::Error::custom("not a JSON object")));
    }
    let record: Record<'_> = serde_json::from_str(text)?;
    if record.event_source.as_str() != RDS_EVENT_SOURCE {
        return Ok(None);
    }
    let principal = record
        .user_identity
        .map(|raw| principal_of(&lenient::<Identity>(raw)))
        .unwrap_or_default();
    let account = match record.recipient_account_id.as_str() {
        "" => principal.account.as_str(),
        account => account,
    };
    let (detail, resource) = details(
        record.event_name.as_str(),
        record.aws_region.as_str(),
        account,
        record.request_parameters,
        record.response_elements,
    );
    Ok(Some(Event {
        id: record.event_id.into_string(),
        time: normalize_time(record.event_time.as_str()),
        region: record.aws_region.into_string(),
        name: record.event_name.into_string(),
        principal,
        source_ip: record.source_ip_address.into_string(),
        user_agent: record.user_agent.into_string(),
        error_code: record.error_code.into_option(),
        error_message: record.error_message.into_option(),
        resource,
        detail,
    }))
}

/// `eventTime` as the model keeps it: RFC 3339 in UTC to the second
/// (`2026-11-30T02:14:07Z`, which CloudTrail writes), so times sort as
/// text. A time in another RFC 3339 form (fractions, a space) is brought to
/// that; one that cannot be read is kept as it is.
pub fn normalize_time(time: &str) -> String {
    if is_utc_seconds(time.as_bytes()) {
        return time.to_string();
    }
    match humantime::parse_rfc3339_weak(time) {
        Ok(at) => humantime::format_rfc3339_seconds(at).to_string(),
        Err(_) => time.to_string(),
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`, exactly.
pub(super) fn is_utc_seconds(time: &[u8]) -> bool {
    const SHAPE: &[u8; 20] = b"0000-00-00T00:00:00Z";
    time.len() == SHAPE.len()
        && time.iter().zip(SHAPE).all(|(&c, &shape)| match shape {
            b'0' => c.is_ascii_digit(),
            _ => c == shape,
        })
}

fn principal_of(identity: &Identity<'_>) -> Principal {
    let issuer = identity
        .session_context
        .map(lenient::<SessionContext>)
        .and_then(|context| context.session_issuer)
        .map(lenient::<SessionIssuer>);
    let role_arn = issuer
        .filter(|issuer| issuer.kind.as_str() == "Role" && !issuer.arn.as_str().is_empty())
        .map(|issuer| issuer.arn.into_string());
    Principal {
        kind: PrincipalKind::from_trail(identity.kind.as_str()),
        arn: identity.arn.as_str().to_string(),
        account: identity.account_id.as_str().to_string(),
        role_arn,
        invoked_by: identity.invoked_by.clone().into_option(),
    }
}

/// A nested object of the record, or its default when it is not one.
fn lenient<'a, T: Deserialize<'a> + Default>(raw: &'a RawValue) -> T {
    serde_json::from_str(raw.get()).unwrap_or_default()
}

/// A text field as CloudTrail writes it, or empty when it is absent, null,
/// or not text (a number is kept as its digits): one odd field must not
/// lose the record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Text<'a>(Cow<'a, str>);

impl<'a> Text<'a> {
    pub(super) fn as_str(&self) -> &str {
        &self.0
    }

    fn into_string(self) -> String {
        self.0.into_owned()
    }

    /// `None` when empty: `errorCode` absent and `errorCode: ""` alike.
    fn into_option(self) -> Option<String> {
        Some(self.0.into_owned()).filter(|s| !s.is_empty())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v)))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Text::default())
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v.to_string())))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v.to_string())))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Text::default())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Text::default())
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Text::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Text::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Text::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventDetail, ResourceType};
    use serde_json::json;

    fn parse(record: &serde_json::Value) -> Event {
        event_from_record(&record.to_string())
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("not RDS: {record}"))
    }

    fn share(params: serde_json::Value) -> serde_json::Value {
        json!({
            "eventSource": "rds.amazonaws.com",
            "eventName": "ModifyDBSnapshotAttribute",
            "eventID": "e-1",
            "eventTime": "2026-03-02T09:21:44Z",
            "awsRegion": "us-east-1",
            "recipientAccountId": "111122223333",
            "requestParameters": params,
        })
    }

    #[test]
    fn other_services_are_none_and_non_objects_are_errors() {
        let s3 = json!({"eventSource": "s3.amazonaws.com", "eventName": "GetObject"});
        assert!(matches!(event_from_record(&s3.to_string()), Ok(None)));
        assert!(event_from_record("[1,2]").is_err());
        assert!(event_from_record("{\"eventSource\":").is_err());
    }

    #[test]
    fn fields_of_the_wrong_type_read_as_absent() {
        let record = json!({
            "eventSource": "rds.amazonaws.com",
            "eventName": 42,
            "eventID": {"nested": true},
            "awsRegion": ["us-east-1"],
            "errorCode": null,
            "errorMessage": "",
            "userIdentity": "root",
            "requestParameters": "dBSnapshotIdentifier=x",
            "responseElements": 7,
        });
        let event = parse(&record);
        assert_eq!(event.name, "42");
        assert_eq!((event.id.as_str(), event.region.as_str()), ("", ""));
        assert_eq!(event.error_code, None);
        assert_eq!(event.error_message, None);
        assert_eq!(event.principal, Principal::default());
        assert_eq!((event.detail, event.resource), (EventDetail::None, None));
    }

    #[test]
    fn an_odd_share_keeps_what_it_can() {
        // valuesToAdd as one string, valuesToRemove not text at all.
        let event = parse(&share(json!({
            "dBSnapshotIdentifier": "snap",
            "attributeName": "restore",
            "valuesToAdd": "all",
            "valuesToRemove": [1, null, "444455556666"],
        })));
        assert_eq!(
            event.detail,
            EventDetail::Share {
                attribute: "restore".into(),
                added: vec!["all".into()],
                removed: vec!["444455556666".into()],
            }
        );
        // Parameters that are not an object: the event, without detail.
        let event = parse(&share(json!(["restore", "all"])));
        assert_eq!((event.detail, event.resource), (EventDetail::None, None));
    }

    #[test]
    fn an_arn_of_another_account_is_kept_whole() {
        let theirs = "arn:aws:rds:eu-west-1:444455556666:snapshot:shared-with-us";
        let event = parse(&share(json!({"dBSnapshotIdentifier": theirs})));
        let resource = event.resource.unwrap_or_else(|| panic!("no resource"));
        assert_eq!(resource.kind, ResourceType::DbSnapshot);
        assert_eq!(
            (resource.id.as_str(), resource.region.as_str()),
            (theirs, "eu-west-1")
        );
        let ours = "arn:aws:rds:eu-west-1:111122223333:snapshot:ours";
        let event = parse(&share(json!({"dBSnapshotIdentifier": ours})));
        let resource = event.resource.unwrap_or_else(|| panic!("no resource"));
        assert_eq!(
            (resource.id.as_str(), resource.region.as_str()),
            ("ours", "eu-west-1")
        );
    }

    #[test]
    fn an_assumed_role_is_matched_by_its_role() {
        let mut record = share(json!({}));
        record["userIdentity"] = json!({
            "type": "AssumedRole",
            "arn": "arn:aws:sts::111122223333:assumed-role/Admin/alice",
            "accountId": "111122223333",
            "sessionContext": {"sessionIssuer": {
                "type": "Role",
                "arn": "arn:aws:iam::111122223333:role/Admin",
            }},
        });
        let principal = parse(&record).principal;
        assert_eq!(principal.kind, PrincipalKind::AssumedRole);
        assert_eq!(
            principal.matchable_arn(),
            "arn:aws:iam::111122223333:role/Admin"
        );
        // A session context of the wrong shape loses the role, not the caller.
        record["userIdentity"]["sessionContext"] = json!("oops");
        let principal = parse(&record).principal;
        assert_eq!(principal.role_arn, None);
        assert_eq!(
            principal.arn,
            "arn:aws:sts::111122223333:assumed-role/Admin/alice"
        );
    }

    #[test]
    fn times_are_brought_to_utc_seconds_when_they_can_be() {
        assert_eq!(
            normalize_time("2026-03-02T09:21:44Z"),
            "2026-03-02T09:21:44Z"
        );
        assert_eq!(
            normalize_time("2026-03-02T09:21:44.123Z"),
            "2026-03-02T09:21:44Z"
        );
        assert_eq!(
            normalize_time("2026-03-02 09:21:44"),
            "2026-03-02T09:21:44Z"
        );
        assert_eq!(normalize_time("yesterday"), "yesterday");
        assert_eq!(normalize_time(""), "");
        assert!(is_utc_seconds(b"2026-03-02T09:21:44Z"));
        assert!(!is_utc_seconds(b"2026-03-02T09:21:44+00:00"));
    }
}
