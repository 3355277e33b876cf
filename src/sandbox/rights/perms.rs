//! Artifact permissions (protocol §3.9; the key names are the sandbox's, see the issue-13
//! contract): a set of `read`, `write`, `create`, `delete`, `admin` per role and for
//! `everyone`, from the blueprint's permissions or else the default permissions.
use crate::sandbox::error::ApiResult;
use crate::sandbox::store::{Db, Table};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::ops::{BitOr, BitOrAssign};

/// The `Settings` key of the default permissions.
pub const DEFAULT_KEY: &str = "blueprint-permissions-default";

/// The role-free entry of a permissions document: what every user gets.
pub const EVERYONE: &str = "everyone";

/// A set of artifact rights.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Perms(u8);

impl Perms {
    /// No right.
    pub const NONE: Perms = Perms(0);
    /// Read the artifact.
    pub const READ: Perms = Perms(1);
    /// Save it.
    pub const WRITE: Perms = Perms(2);
    /// Create artifacts.
    pub const CREATE: Perms = Perms(4);
    /// Delete it.
    pub const DELETE: Perms = Perms(8);
    /// Artifact admin: every right.
    pub const ALL: Perms = Perms(15);

    /// Whether every right of `other` is in `self`.
    pub fn has(self, other: Perms) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no right is in the set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The rights of one permission set `{"read": bool, ...}`: write, create, delete
    /// imply read; admin implies everything. Other keys are ignored (the roles
    /// endpoints refuse them on write).
    pub fn from_set(set: &Value) -> Perms {
        let on = |k: &str| set[k].as_bool().unwrap_or(false);
        if on("admin") {
            return Perms::ALL;
        }
        let mut p = Perms::NONE;
        for (k, bit) in [
            ("read", Perms::READ),
            ("write", Perms::WRITE),
            ("create", Perms::CREATE),
            ("delete", Perms::DELETE),
        ] {
            if on(k) {
                p |= bit | Perms::READ;
            }
        }
        p
    }
}

impl BitOr for Perms {
    type Output = Perms;
    fn bitor(self, rhs: Perms) -> Perms {
        Perms(self.0 | rhs.0)
    }
}

impl BitOrAssign for Perms {
    fn bitor_assign(&mut self, rhs: Perms) {
        self.0 |= rhs.0;
    }
}

/// The permissions in force on one blueprint.
#[derive(Debug, Clone, Default)]
pub struct PermissionTable {
    /// What every user gets.
    pub everyone: Perms,
    /// Per role id.
    pub roles: HashMap<String, Perms>,
}

impl PermissionTable {
    /// The table of a `permissions` object.
    pub fn from_doc(permissions: &Value) -> PermissionTable {
        let mut t = PermissionTable::default();
        for (who, set) in permissions.as_object().into_iter().flatten() {
            let p = Perms::from_set(set);
            if who == EVERYONE {
                t.everyone = p;
            } else {
                t.roles.insert(who.clone(), p);
            }
        }
        t
    }

    /// The rights of a role (none for a role the table does not name).
    pub fn role(&self, role: &str) -> Perms {
        self.roles.get(role).copied().unwrap_or_default()
    }
}

/// The default permissions the sandbox applies when none are stored.
pub fn builtin_default() -> Value {
    json!({
        "everyone": {"read": false, "write": false, "create": false, "delete": false, "admin": false},
        "ro.reader": {"read": true},
        "ro.contributor": {"read": true, "write": true, "create": true},
        "ro.project_manager": {"read": true, "write": true, "create": true, "delete": true},
    })
}

/// The stored default permissions (`permissions` of the `Settings` entry), or
/// [`builtin_default`].
pub fn default_permissions(db: &Db) -> ApiResult<PermissionTable> {
    Ok(match db.get(Table::Settings, DEFAULT_KEY)? {
        Some(doc) => PermissionTable::from_doc(&doc["permissions"]),
        None => PermissionTable::from_doc(&builtin_default()),
    })
}

/// The permissions in force on blueprint `bp`: its own if it has some, else the
/// defaults (`defaults` when the caller read them already).
pub fn permissions_of(
    db: &Db,
    bp: &str,
    defaults: Option<&PermissionTable>,
) -> ApiResult<PermissionTable> {
    if let Some(doc) = db.get(Table::BlueprintPermissions, bp)? {
        return Ok(PermissionTable::from_doc(&doc["permissions"]));
    }
    match defaults {
        Some(d) => Ok(d.clone()),
        None => default_permissions(db),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_create_delete_imply_read_and_admin_implies_all() {
        assert_eq!(
            Perms::from_set(&json!({"write": true})),
            Perms::READ | Perms::WRITE
        );
        assert_eq!(
            Perms::from_set(&json!({"delete": true})),
            Perms::READ | Perms::DELETE
        );
        assert_eq!(Perms::from_set(&json!({"admin": true})), Perms::ALL);
        assert_eq!(Perms::from_set(&json!({"read": false})), Perms::NONE);
        assert!(Perms::ALL.has(Perms::CREATE));
        assert!(!Perms::READ.has(Perms::WRITE));
    }

    #[test]
    fn the_builtin_default_gives_everyone_nothing_and_managers_delete() {
        let t = PermissionTable::from_doc(&builtin_default());
        assert!(t.everyone.is_empty());
        assert_eq!(t.role("ro.reader"), Perms::READ);
        assert!(!t.role("ro.contributor").has(Perms::DELETE));
        assert!(t.role("ro.project_manager").has(Perms::DELETE));
        assert!(t.role("ro.unknown").is_empty());
    }
}
