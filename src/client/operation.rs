//! The name of the Python client call being served, carried alongside its future.
//!
//! Bindings declare each method's Python name once; [`named`] wraps the client future in
//! that name, and the transport stamps it on every request and error the future makes.
//! Client methods therefore never repeat a Python name.
use std::future::Future;

tokio::task_local! {
    static CALL: &'static str;
}

/// Runs `future` as the Python call `call` (e.g. `GovernArtifact.get_definition`).
pub async fn named<F: Future>(call: &'static str, future: F) -> F::Output {
    CALL.scope(call, future).await
}

/// The call being served, or `""` outside [`named`].
pub fn current() -> &'static str {
    CALL.try_with(|c| *c).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_name_is_seen_inside_and_not_outside() {
        assert_eq!(current(), "");
        assert_eq!(named("A.b", async { current() }).await, "A.b");
    }
}
