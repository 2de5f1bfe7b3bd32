//! Requests spaced out in time, for APIs with a hard rate: CloudTrail
//! answers `LookupEvents` twice a second per account and region, and
//! throttles beyond that.
//!
//! The pacing sits in the HTTP client the SDK sends through, not around
//! the call: the SDK's own retries (a throttled page is retried with
//! backoff, `aws_runtime`'s classifier knows `ThrottlingException`) are
//! new requests too, and each one waits for its turn here.
//!
//! A turn comes `gap` after the previous request left *and* `gap` after
//! its answer arrived. Spacing departures alone is not enough: a request
//! that spent longer on the way (a slow connection, a TLS handshake)
//! would reach the service less than `gap` before the next one. A request
//! has always arrived by the time its answer is back, so waiting from the
//! answer keeps arrivals apart whatever the network does.

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use std::time::Instant;

/// Hands out send times at least `gap` apart, and `gap` after the last
/// answer, in the order asked.
#[derive(Debug, Clone)]
pub(crate) struct Pacer {
    gap: Duration,
    /// The earliest time the next request may leave.
    next: Arc<Mutex<Option<Instant>>>,
}

impl Pacer {
    pub(crate) fn new(gap: Duration) -> Self {
        Self {
            gap,
            next: Arc::new(Mutex::new(None)),
        }
    }

    /// Take the next free turn: how long to wait before sending. The turn
    /// is taken even if the caller gives up waiting, which only ever
    /// spaces requests further apart.
    fn turn(&self) -> Duration {
        self.turn_at(Instant::now())
    }

    fn turn_at(&self, now: Instant) -> Duration {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let at = next.map_or(now, |n| n.max(now));
        *next = Some(at + self.gap);
        at - now
    }

    /// An answer arrived at `now`: the next turn is at least `gap` later.
    fn answered_at(&self, now: Instant) {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let after = now + self.gap;
        *next = Some(next.map_or(after, |n| n.max(after)));
    }

    /// `inner`, with every request it sends waiting for its turn.
    pub(crate) fn client(&self, inner: SharedHttpClient) -> SharedHttpClient {
        SharedHttpClient::new(PacedClient {
            inner,
            pacer: self.clone(),
        })
    }
}

#[derive(Debug)]
struct PacedClient {
    inner: SharedHttpClient,
    pacer: Pacer,
}

impl HttpClient for PacedClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(PacedConnector {
            inner: self.inner.http_connector(settings, components),
            pacer: self.pacer.clone(),
        })
    }
}

#[derive(Debug)]
struct PacedConnector {
    inner: SharedHttpConnector,
    pacer: Pacer,
}

impl HttpConnector for PacedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let wait = self.pacer.turn();
        let (inner, pacer) = (self.inner.clone(), self.pacer.clone());
        HttpConnectorFuture::new(async move {
            tokio::time::sleep(wait).await;
            let answer = inner.call(request).await;
            pacer.answered_at(Instant::now());
            answer
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_are_a_gap_apart_and_idle_time_is_not_banked() {
        let ms = Duration::from_millis;
        let pacer = Pacer::new(ms(500));
        let start = Instant::now();
        assert_eq!(pacer.turn_at(start), ms(0), "the first goes at once");
        assert_eq!(pacer.turn_at(start), ms(500));
        assert_eq!(pacer.turn_at(start + ms(100)), ms(900));
        // A quiet spell does not allow a burst afterwards.
        let later = start + ms(10_000);
        assert_eq!(pacer.turn_at(later), ms(0));
        assert_eq!(pacer.turn_at(later), ms(500));
    }

    #[test]
    fn a_slow_answer_pushes_the_next_turn_past_it() {
        let ms = Duration::from_millis;
        let pacer = Pacer::new(ms(500));
        let start = Instant::now();
        assert_eq!(pacer.turn_at(start), ms(0));
        // Answered 800 ms after it left: the next waits 500 ms from there.
        pacer.answered_at(start + ms(800));
        assert_eq!(pacer.turn_at(start + ms(800)), ms(500));
        pacer.answered_at(start + ms(1_350));
        assert_eq!(pacer.turn_at(start + ms(1_350)), ms(500));
    }

    #[test]
    fn an_early_answer_never_brings_a_turn_forward() {
        let ms = Duration::from_millis;
        let pacer = Pacer::new(ms(500));
        let start = Instant::now();
        assert_eq!(pacer.turn_at(start), ms(0));
        assert_eq!(pacer.turn_at(start), ms(500));
        pacer.answered_at(start + ms(100));
        assert_eq!(pacer.turn_at(start + ms(100)), ms(900));
    }
}
