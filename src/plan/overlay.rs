//! Read-your-writes for lists of declared resources (`GET` of a [`Resource::list`]):
//! the server's list with the plan laid over it. An item the plan changed comes back
//! in its planned state, one it deletes is dropped, and one it creates under that
//! parent is added after the others, in creation order (Govern lists new items last).
//! A list under a parent the plan creates is the plan's alone.
use super::hook::{PlanHook, own_read};
use super::state::{Planned, State};
use super::target;
use crate::client::operation::OperationCall;
use crate::client::resource::path as item_path;
use crate::client::{Request, Result};
use crate::protocol::{Resource, resources};
use serde_json::Value;
use std::collections::HashSet;

/// The resource whose list `path` is, and the parent's key parts (unescaped).
fn list_of(path: &str) -> Option<(&'static Resource, Vec<String>)> {
    resources::ALL.iter().find_map(|r| {
        let parts = target::parts(r.list, path)?;
        let parts = parts
            .into_iter()
            .map(|p| {
                percent_encoding::percent_decode_str(p)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect();
        Some((*r, parts))
    })
}

/// The item path of the list item `item` of `resource` under `parent`.
fn item_of(resource: &Resource, parent: &[String], item: &Value) -> Option<String> {
    let id = item.pointer(resource.list_id)?.as_str()?;
    let mut key: Vec<&str> = parent.iter().map(String::as_str).collect();
    key.push(id);
    Some(item_path(resource.item, &key))
}

/// `doc` as a list item of `object`, keeping what the server's item held beside the
/// definition (a wrapped item's other keys).
fn as_item(object: &str, doc: &Value, server: Option<&Value>) -> Value {
    match (target::wrap_of(object), server) {
        (Some(key), Some(Value::Object(map))) => {
            let mut map = map.clone();
            map.insert(key.to_string(), doc.clone());
            Value::Object(map)
        }
        _ => target::wrapped(object, doc.clone()),
    }
}

/// `items` (the server's list of `resource` under `parent`) as the plan would leave it.
fn laid_over(state: &State, resource: &Resource, parent: &[String], items: Vec<Value>) -> Value {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Some(object) = item_of(resource, parent, &item) else {
            out.push(item);
            continue;
        };
        match state.objects.get(&object) {
            Some(Planned::Deleted) => {}
            Some(Planned::Present(doc)) => out.push(as_item(&object, doc, Some(&item))),
            None => out.push(item),
        }
        seen.insert(object);
    }
    let mut key: Vec<&str> = parent.iter().map(String::as_str).collect();
    key.push("{}");
    let template = Resource::fill(resource.item, &key, |p| {
        if p == "{}" {
            p.to_string()
        } else {
            crate::client::request::segment(p)
        }
    });
    for object in &state.born {
        if seen.contains(object) || target::parts(&template, object).is_none() {
            continue;
        }
        if let Some(doc) = state.present(object) {
            out.push(as_item(object, doc, None));
        }
    }
    Value::Array(out)
}

/// The planned answer of the list `GET` `op`, or `None` when it is no list of a
/// declared resource or the plan changed nothing (the server answers it).
pub async fn list(hook: &PlanHook, op: &OperationCall<'_>) -> Result<Option<Value>> {
    let Some((resource, parent)) = list_of(&op.request.path) else {
        return Ok(None);
    };
    if hook.state().objects.is_empty() {
        return Ok(None);
    }
    let mut request = Request::get(op.request.path.clone());
    request.query = op.request.query.clone();
    let items = match own_read(op, request).await {
        Ok(Value::Array(items)) => items,
        Ok(other) => return Ok(Some(other)),
        // Under a parent this plan creates (the list's path without its last part):
        // the list is the plan's alone.
        Err(e) if e.status() == Some(404) => {
            let parent_object = op.request.path.rsplit_once('/').map_or("", |(p, _)| p);
            if !hook.state().born.iter().any(|o| o == parent_object) {
                return Err(e);
            }
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    let state = hook.state();
    Ok(Some(laid_over(&state, resource, &parent, items)))
}
