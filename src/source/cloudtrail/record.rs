//! One CloudTrail record → one [`Event`], or nothing when it is not an RDS
//! call. Every field is hostile text: it is kept as data, never trusted for
//! shape, and a record missing what triage needs is still kept with what
//! it has (an empty field shows as such), because a half-logged call is
//! still part of the story.

use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

use crate::model::{Event, EventDetail, Principal, PrincipalKind, RDS_EVENT_SOURCE};

/// A record that is not a JSON object of CloudTrail's shape.
#[derive(Debug, thiserror::Error)]
#[error("not a CloudTrail record: {0}")]
pub struct RecordError(#[from] serde_json::Error);

/// The fields of a record rdsight reads, borrowed from the text.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record<'a> {
    #[serde(borrow, default)]
    event_source: Cow<'a, str>,
    #[serde(rename = "eventID", borrow, default)]
    event_id: Cow<'a, str>,
    #[serde(borrow, default)]
    event_time: Cow<'a, str>,
    #[serde(borrow, default)]
    event_name: Cow<'a, str>,
    #[serde(borrow, default)]
    aws_region: Cow<'a, str>,
    #[serde(rename = "sourceIPAddress", borrow, default)]
    source_ip_address: Cow<'a, str>,
    #[serde(borrow, default)]
    user_agent: Cow<'a, str>,
    #[serde(borrow, default)]
    error_code: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    error_message: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    user_identity: Option<Identity<'a>>,
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
    kind: Cow<'a, str>,
    #[serde(borrow, default)]
    arn: Cow<'a, str>,
    #[serde(borrow, default)]
    account_id: Cow<'a, str>,
    #[serde(borrow, default)]
    invoked_by: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    session_context: Option<SessionContext<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SessionContext<'a> {
    #[serde(borrow, default)]
    session_issuer: Option<SessionIssuer<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SessionIssuer<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Cow<'a, str>,
    #[serde(borrow, default)]
    arn: Cow<'a, str>,
}

/// Parse one record. `Ok(None)` for a record of another service.
pub fn event_from_record(text: &str) -> Result<Option<Event>, RecordError> {
    let record: Record<'_> = serde_json::from_str(text)?;
    if record.event_source != RDS_EVENT_SOURCE {
        return Ok(None);
    }
    let principal = record
        .user_identity
        .as_ref()
        .map(principal_of)
        .unwrap_or_default();
    let detail = details(
        &record.event_name,
        record.request_parameters,
        record.response_elements,
    );
    Ok(Some(Event {
        id: record.event_id.into_owned(),
        time: record.event_time.into_owned(),
        region: record.aws_region.into_owned(),
        name: record.event_name.into_owned(),
        principal,
        source_ip: record.source_ip_address.into_owned(),
        user_agent: record.user_agent.into_owned(),
        error_code: record.error_code.map(Cow::into_owned),
        error_message: record.error_message.map(Cow::into_owned),
        resource: None,
        detail,
    }))
}

fn principal_of(identity: &Identity<'_>) -> Principal {
    let role_arn = identity
        .session_context
        .as_ref()
        .and_then(|c| c.session_issuer.as_ref())
        .filter(|issuer| issuer.kind == "Role" && !issuer.arn.is_empty())
        .map(|issuer| issuer.arn.to_string());
    Principal {
        kind: PrincipalKind::from_trail(&identity.kind),
        arn: identity.arn.to_string(),
        account: identity.account_id.to_string(),
        role_arn,
        invoked_by: identity.invoked_by.as_deref().map(str::to_string),
    }
}

/// The typed facts of the calls the activity rules judge.
fn details(_name: &str, _request: Option<&RawValue>, _response: Option<&RawValue>) -> EventDetail {
    EventDetail::None
}
