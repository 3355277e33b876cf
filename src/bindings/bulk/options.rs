//! The options map of a batch call: `#{ concurrency: 16, rate: 50, label: "owners" }`.
use crate::bindings::bridge::{RhaiResult, local_error};
use crate::client::batch::{BatchOptions, MAX_CONCURRENCY};
use rhai::{Dynamic, Map};

/// The names an options map may hold.
const NAMES: &[&str] = &["concurrency", "rate", "label"];

/// A batch call's options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Concurrency and rate.
    pub batch: BatchOptions,
    /// What the progress display calls the run (the call's name by default).
    pub label: String,
}

/// Reads `map` (`()` or empty: defaults) for the call `call`; an unknown name or a
/// value out of range is an error naming it, before anything is sent.
pub fn parse(call: &'static str, map: &Map) -> RhaiResult<Options> {
    let mut options = Options {
        batch: BatchOptions::default(),
        label: call.rsplit('.').next().unwrap_or(call).to_string(),
    };
    for (key, value) in map {
        match key.as_str() {
            "concurrency" => options.batch.concurrency = concurrency(call, value)?,
            "rate" => options.batch.rate = rate(call, value)?,
            "label" if value.is_string() => options.label = value.to_string(),
            "label" => {
                return Err(local_error(
                    call,
                    format!("label must be a string, not {}", value.type_name()),
                ));
            }
            other => {
                return Err(local_error(
                    call,
                    format!(
                        "unknown option '{other}'; expected one of: {}",
                        NAMES.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(options)
}

fn concurrency(call: &str, value: &Dynamic) -> RhaiResult<usize> {
    value
        .as_int()
        .ok()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| (1..=MAX_CONCURRENCY).contains(n))
        .ok_or_else(|| {
            local_error(
                call,
                format!("concurrency must be an integer from 1 to {MAX_CONCURRENCY}, not {value}"),
            )
        })
}

fn rate(call: &str, value: &Dynamic) -> RhaiResult<Option<f64>> {
    if value.is_unit() {
        return Ok(None);
    }
    let rate = match (value.as_int(), value.as_float()) {
        (Ok(n), _) => n as f64,
        (_, Ok(x)) => x,
        _ => f64::NAN,
    };
    if rate.is_finite() && rate > 0.0 {
        Ok(Some(rate))
    } else {
        Err(local_error(
            call,
            format!("rate must be a positive number of requests per second, not {value}"),
        ))
    }
}
