//! Who is a global administrator or a Govern architect, from the stored users and
//! groups, and the rule that a change never leaves the instance without an enabled
//! administrator (Govern refuses to delete the last one).
use crate::sandbox::auth::string_list;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::store::{Db, Table};
use serde_json::Value;
use std::collections::HashMap;

/// The stored users and groups, to evaluate a change before it is written.
pub struct People {
    /// Users by login.
    pub users: Vec<(String, Value)>,
    /// Groups by name.
    pub groups: HashMap<String, Value>,
}

impl People {
    /// Reads every user and group (small tables).
    pub fn load(db: &Db) -> ApiResult<Self> {
        Ok(Self {
            users: db.list(Table::Users, "")?,
            groups: db.list(Table::Groups, "")?.into_iter().collect(),
        })
    }

    fn group_flag(&self, user: &Value, flag: &str) -> bool {
        string_list(&user["groups"]).iter().any(|g| {
            self.groups
                .get(g)
                .is_some_and(|d| d[flag].as_bool() == Some(true))
        })
    }

    /// Whether `user` is a global admin: its own flag (the seed's `admin`) or a group
    /// with `admin: true`. Disabled users count as none.
    pub fn is_admin(&self, user: &Value) -> bool {
        user["enabled"].as_bool() != Some(false)
            && (user["admin"].as_bool() == Some(true) || self.group_flag(user, "admin"))
    }

    /// Whether `user` is a Govern architect (or an admin).
    pub fn is_architect(&self, user: &Value) -> bool {
        self.is_admin(user) || self.group_flag(user, "isGovernArchitect")
    }

    /// Refuses the change if no enabled admin is left; `what` says what was tried.
    pub fn ensure_an_admin(&self, what: &str) -> ApiResult<()> {
        if self.users.iter().any(|(_, u)| self.is_admin(u)) {
            return Ok(());
        }
        Err(ApiError::validation(format!(
            "Cannot {what}: it would leave no enabled administrator"
        )))
    }

    /// Replaces (or with `None` removes) the user `login`.
    pub fn set_user(&mut self, login: &str, user: Option<Value>) {
        self.users.retain(|(l, _)| l != login);
        if let Some(u) = user {
            self.users.push((login.to_string(), u));
        }
    }

    /// Replaces (or with `None` removes) the group `name`.
    pub fn set_group(&mut self, name: &str, group: Option<Value>) {
        match group {
            Some(g) => self.groups.insert(name.to_string(), g),
            None => self.groups.remove(name),
        };
    }
}

/// Refuses a group list naming a group that does not exist.
pub fn check_groups_exist(db: &Db, groups: &Value) -> ApiResult<()> {
    let mut missing = Vec::new();
    for g in string_list(groups) {
        if db.get(Table::Groups, &g)?.is_none() {
            missing.push(g);
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(ApiError::validation(format!(
        "Unknown group(s): {} (create them first with create_group)",
        missing.join(", ")
    )))
}
