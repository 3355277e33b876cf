//! General-purpose functions every script gets: `assert`, `assert_eq`, `expect_error`,
//! `to_json`, `parse_json`.
use crate::bindings::bridge::RhaiResult;
use crate::bindings::convert::{to_dynamic, to_json};
use crate::bindings::handle::def;
use crate::bindings::register::Register;
use rhai::{Dynamic, EvalAltResult, FnPtr, Map, NativeCallContext, Position};

fn fail(message: String) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(message.into(), Position::NONE))
}

/// Compares two values as JSON (so documents, maps and arrays compare by content).
fn same(a: &Dynamic, b: &Dynamic) -> bool {
    match (to_json(a), to_json(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a.to_string() == b.to_string() && a.type_name() == b.type_name(),
    }
}

fn show(v: &Dynamic) -> String {
    to_json(v).map_or_else(|_| v.to_string(), |j| j.to_string())
}

fn assert_eq(a: Dynamic, b: Dynamic, message: &str) -> RhaiResult<()> {
    if same(&a, &b) {
        return Ok(());
    }
    let prefix = if message.is_empty() {
        String::new()
    } else {
        format!("{message}: ")
    };
    Err(fail(format!(
        "{prefix}assertion failed: {} != {}",
        show(&a),
        show(&b)
    )))
}

/// Calls `f` and returns the error it raised; fails with "expected an error, but
/// {what}" if it raised none. Errors that stop the script (Ctrl-C, limits) go on.
fn expect_error(ctx: &NativeCallContext, f: &FnPtr, what: &str) -> RhaiResult<Dynamic> {
    let error = match f.call_within_context::<Dynamic>(ctx, ()) {
        Ok(_) => return Err(fail(format!("expected an error, but {what}"))),
        Err(e) if e.is_pseudo_error() || !e.is_catchable() => return Err(e),
        Err(e) => e,
    };
    // What `catch (e)` would give: a thrown value as is, a language error as a map.
    Ok(match error.unwrap_inner() {
        EvalAltResult::ErrorRuntime(value, _) => value.clone(),
        other => {
            let position = other.position();
            let mut message = other.to_string();
            // Rhai appends " (line x, position y)": the map has them as fields.
            if let Some(i) = message.rfind(" (line ").filter(|_| !position.is_none()) {
                message.truncate(i);
            }
            let mut map = Map::new();
            map.insert("message".into(), message.into());
            if let (Some(line), Some(column)) = (position.line(), position.position()) {
                map.insert("line".into(), (line as rhai::INT).into());
                map.insert("position".into(), (column as rhai::INT).into());
            }
            map.into()
        }
    })
}

/// Registers the built-ins.
pub fn register(engine: &mut impl Register) {
    def(
        engine,
        "assert",
        &["condition: bool", "()"],
        "Fails the script if `condition` is false.",
        |c: bool| -> RhaiResult<()> {
            if c {
                Ok(())
            } else {
                Err(fail("assertion failed".into()))
            }
        },
    );
    def(
        engine,
        "assert",
        &["condition: bool", "message: String", "()"],
        "Fails the script with `message` if `condition` is false.",
        |c: bool, m: &str| -> RhaiResult<()> {
            if c {
                Ok(())
            } else {
                Err(fail(format!("assertion failed: {m}")))
            }
        },
    );
    def(
        engine,
        "assert_eq",
        &["left: ?", "right: ?", "()"],
        "Fails unless both values are equal (compared as JSON).",
        |a: Dynamic, b: Dynamic| assert_eq(a, b, ""),
    );
    def(
        engine,
        "assert_eq",
        &["left: ?", "right: ?", "message: String", "()"],
        "Fails with `message` unless both values are equal.",
        |a: Dynamic, b: Dynamic, m: &str| assert_eq(a, b, m),
    );
    def(
        engine,
        "expect_error",
        &["f: Fn", "?"],
        "Calls `f` and returns the error it raised (what `catch (e)` would get); fails \
         the script if `f` succeeded.\n\
         ```rhai\n\
         let e = expect_error(|| client.get_artifact(\"ar.missing\").get_definition());\n\
         assert_eq(e.status, 404);\n\
         ```",
        |ctx: NativeCallContext, f: FnPtr| expect_error(&ctx, &f, "the call succeeded"),
    );
    def(
        engine,
        "expect_error",
        &["f: Fn", "what: String", "?"],
        "As `expect_error(f)`; the failure says `expected an error, but {what}`.",
        |ctx: NativeCallContext, f: FnPtr, what: &str| expect_error(&ctx, &f, what),
    );
    def(
        engine,
        "to_json",
        &["value: ?", "String"],
        "The value as JSON text.",
        |v: Dynamic| -> RhaiResult<String> { to_json(&v).map(|j| j.to_string()).map_err(fail) },
    );
    def(
        engine,
        "parse_json",
        &["text: String", "?"],
        "Parses JSON text into maps, arrays and scalars.",
        |t: &str| -> RhaiResult<Dynamic> {
            serde_json::from_str(t)
                .map(|v| to_dynamic(&v))
                .map_err(|e| fail(format!("invalid JSON: {e}")))
        },
    );
}
