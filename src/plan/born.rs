//! `apply` of changes to objects the plan creates. Their creation is refused when the
//! object exists already (it did not when the plan was made); a later change of such an
//! object has no plan-time state to check: its patch is laid onto what the server
//! stored at the creation (as a merge-save would), and it is skipped when the creation
//! did not apply.
use super::apply::{Item, Outcome, Ready, read};
use super::file::{Change, Effect};
use super::ids::{Ids, substitute_value};
use crate::client::GovernClient;
use serde_json::{Map, Value};

/// Whether `object` is (or lies under) what the creation `creation` makes.
pub fn created_by(creation: &Change, object: &str) -> bool {
    match &creation.planned_id {
        Some(id) => object.split('/').any(|s| s == id),
        None => object == creation.object || object.starts_with(&format!("{}/", creation.object)),
    }
}

/// For the creation of an object whose id the plan names: a refusal when it exists
/// now (the plan applied already, or someone created it meanwhile).
pub(super) async fn exists_already(
    client: &GovernClient,
    change: &Change,
    ready: &Ready,
) -> Option<Outcome> {
    if change.effect != Effect::Create || change.planned_id.is_some() {
        return None;
    }
    match read(client, &ready.object).await {
        Ok(None) => None,
        Ok(Some(_)) => Some(Outcome::Refused(format!(
            "drift: {} exists since the plan: was this plan applied already?",
            ready.object
        ))),
        Err(e) => Some(Outcome::Failed(format!("cannot check for drift: {e}"))),
    }
}

/// The item of a change skipped because the creation of `object` did not apply.
pub fn skipped(index: usize, change: &Change, object: &str) -> Item {
    Item {
        index: index + 1,
        call: change.call.clone(),
        effect: change.effect,
        request: format!("{} {}", change.method, change.path),
        object: change.object.clone(),
        outcome: Outcome::Skipped(format!("the creation of {object} did not apply")),
        created_id: None,
        silent: Vec::new(),
    }
}

/// Sets `pointer` in `doc` to `value` (`None`: removes it), making objects on the way.
fn put(doc: &mut Value, pointer: &str, value: Option<Value>) {
    let keys: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|k| k.replace("~1", "/").replace("~0", "~"))
        .collect();
    let Some((last, parents)) = keys.split_last() else {
        if let Some(value) = value {
            *doc = value;
        }
        return;
    };
    let mut at = doc;
    for key in parents {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let Value::Object(map) = at else { return };
        at = map.entry(key.clone()).or_insert(Value::Null);
    }
    if !at.is_object() {
        *at = Value::Object(Map::new());
    }
    if let Value::Object(map) = at {
        match value {
            Some(value) => map.insert(last.clone(), value),
            None => map.remove(last),
        };
    }
}

/// `now` with the RFC 6902 `patch` laid over it leniently: each value set or removed
/// wherever it is (a path the server's document lacks is made).
pub fn laid(now: &Value, patch: &Value) -> Value {
    let mut doc = now.clone();
    for op in patch.as_array().into_iter().flatten() {
        let path = op.get("path").and_then(Value::as_str).unwrap_or_default();
        match op.get("op").and_then(Value::as_str) {
            Some("remove") => put(&mut doc, path, None),
            Some("add" | "replace") => put(&mut doc, path, op.get("value").cloned()),
            _ => {}
        }
    }
    doc
}

/// Makes `ready` (an update of an object this apply created) the change's patch laid
/// onto what the server holds now.
pub(super) async fn rebase(
    client: &GovernClient,
    change: &Change,
    ids: &Ids,
    ready: &mut Ready,
) -> Result<(), String> {
    if change.effect != Effect::Update {
        return Ok(());
    }
    let now = match read(client, &ready.object).await {
        Ok(Some(now)) => now,
        Ok(None) => return Err(format!("{} is not there after its creation", ready.object)),
        Err(e) => return Err(format!("cannot read it after its creation: {e}")),
    };
    let known = ids.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let patch = substitute_value(&change.patch, &known)
        .map_err(|planned| format!("it uses {planned}, whose creation did not apply"))?;
    ready.body = laid(&now, &patch);
    ready.planned = ready.body.clone();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_patch_is_laid_onto_what_the_server_made() {
        let made = json!({"id": {"blueprintId": "bp.x", "versionId": "bv.1"}, "name": "One"});
        let patch = json!([
            {"op": "add", "path": "/fieldDefinitions", "value": {"t": {"label": "T"}}},
            {"op": "replace", "path": "/status/stage", "value": "x"},
            {"op": "remove", "path": "/name"},
        ]);
        assert_eq!(
            laid(&made, &patch),
            json!({"id": {"blueprintId": "bp.x", "versionId": "bv.1"},
                   "fieldDefinitions": {"t": {"label": "T"}}, "status": {"stage": "x"}})
        );
    }
}
