//! Users containers: who belongs to a feedback group or to the approvers, resolved
//! through the stored users and groups: a `user` container by login, a `group` one by
//! the groups of the stored user, a `global-api-key` one by the key's id, and a `role`
//! one by the role-assignment rules of the sign-off's artifact.
use crate::sandbox::auth::{Principal, string_list};
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::rights::rules::{Holding, Rules};
use crate::sandbox::rights::subject::{Subject, subjects_of};
use crate::sandbox::store::{Db, Table};
use serde_json::Value;
use std::collections::BTreeSet;

/// The containers of a list of `{"usersContainer": {...}}` entries.
pub fn containers(entries: &Value) -> Vec<&Value> {
    entries
        .as_array()
        .map(|a| a.iter().map(|e| &e["usersContainer"]).collect())
        .unwrap_or_default()
}

/// The id of a `global-api-key` container (`globalAPIKeyId`, or `keyId`).
fn key_id(c: &Value) -> Option<&str> {
    c["globalAPIKeyId"].as_str().or_else(|| c["keyId"].as_str())
}

/// The roles held on artifact `ar` (read once, when a `role` container needs them).
struct Holdings<'a> {
    db: &'a Db<'a>,
    ar: &'a str,
    held: Option<BTreeSet<Holding>>,
}

impl<'a> Holdings<'a> {
    fn new(db: &'a Db<'a>, ar: &'a str) -> Self {
        Holdings { db, ar, held: None }
    }

    fn get(&mut self) -> ApiResult<&BTreeSet<Holding>> {
        if self.held.is_none() {
            let held = match self.db.get(Table::Artifacts, self.ar)? {
                Some(art) => {
                    let bp = art["blueprintVersionId"]["blueprintId"]
                        .as_str()
                        .unwrap_or("");
                    Rules::load(self.db, bp)?.holdings(&art)
                }
                None => BTreeSet::new(),
            };
            self.held = Some(held);
        }
        Ok(self.held.get_or_insert_with(BTreeSet::new))
    }
}

/// Whether any entry of the list covers `who` on the sign-off of artifact `ar`.
pub fn is_member(db: &Db, ar: &str, entries: &Value, who: &Principal) -> ApiResult<bool> {
    let mut holdings = Holdings::new(db, ar);
    for c in containers(entries) {
        let covered = match c["type"].as_str() {
            Some("user") => who.is_user && c["login"].as_str() == Some(who.login.as_str()),
            Some("group") => c["groupName"]
                .as_str()
                .is_some_and(|g| who.groups.iter().any(|x| x == g)),
            Some("global-api-key") => key_id(c).is_some() && key_id(c) == who.key_id.as_deref(),
            Some("role") => {
                let mine = subjects_of(who);
                let role = c["roleId"].as_str().unwrap_or("");
                holdings
                    .get()?
                    .iter()
                    .any(|(s, r)| r == role && mine.contains(s))
            }
            _ => false,
        };
        if covered {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Logins covered by the entries on the sign-off of artifact `ar`, in order, without
/// duplicates (a global key is no user: it adds no login).
pub fn resolve(db: &Db, ar: &str, entries: &Value) -> ApiResult<Vec<String>> {
    let users = db.list(Table::Users, "")?;
    let members = |g: &str| -> Vec<String> {
        users
            .iter()
            .filter(|(_, u)| string_list(&u["groups"]).iter().any(|x| x == g))
            .map(|(login, _)| login.clone())
            .collect()
    };
    let mut holdings = Holdings::new(db, ar);
    let mut out: Vec<String> = Vec::new();
    let mut push = |l: String| {
        if !out.contains(&l) {
            out.push(l);
        }
    };
    for c in containers(entries) {
        match c["type"].as_str() {
            Some("user") => {
                if let Some(l) = c["login"].as_str() {
                    push(l.to_string());
                }
            }
            Some("group") => members(c["groupName"].as_str().unwrap_or(""))
                .into_iter()
                .for_each(&mut push),
            Some("role") => {
                let role = c["roleId"].as_str().unwrap_or("");
                for (s, _) in holdings.get()?.iter().filter(|(_, r)| r == role) {
                    match s {
                        Subject::User(l) => push(l.clone()),
                        Subject::Group(g) => members(g).into_iter().for_each(&mut push),
                        Subject::Name(n) => {
                            if users.iter().any(|(l, _)| l == n) {
                                push(n.clone());
                            }
                            members(n).into_iter().for_each(&mut push);
                        }
                        Subject::Key(_) => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Validates a users container from a request body.
pub fn validate_container(c: &Value) -> ApiResult<Value> {
    let ok = match c["type"].as_str() {
        Some("user") => c["login"].is_string(),
        Some("group") => c["groupName"].is_string(),
        Some("role") => c["roleId"].is_string(),
        Some("global-api-key") => key_id(c).is_some(),
        _ => false,
    };
    if ok {
        Ok(c.clone())
    } else {
        Err(ApiError::validation(format!(
            "Invalid users container {c}: expected {{\"type\": \"user\", \"login\": ...}} or {{\"type\": \"group\", \"groupName\": ...}} (possible type values are: \"role\", \"global-api-key\", \"user\", \"group\")"
        )))
    }
}
