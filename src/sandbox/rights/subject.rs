//! Who a role is given to: a user, a group, a global API key, or a name held in an
//! artifact's field (a login or a group name: the field does not say which).
use crate::sandbox::auth::Principal;

/// One holder of roles.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    /// A user container's login.
    User(String),
    /// A group container's name.
    Group(String),
    /// A global API key's id.
    Key(String),
    /// A login or group name held in a field named by `fieldIds`.
    Name(String),
}

impl Subject {
    /// The subject's key in the grants table (`u:`, `g:`, `k:`, `n:` then the name).
    pub fn key(&self) -> String {
        let (tag, name) = match self {
            Subject::User(n) => ("u", n),
            Subject::Group(n) => ("g", n),
            Subject::Key(n) => ("k", n),
            Subject::Name(n) => ("n", n),
        };
        format!("{tag}:{name}")
    }
}

/// The subjects a principal is: its user (login, also as a name), its groups (also as
/// names) and its key.
pub fn subjects_of(me: &Principal) -> Vec<Subject> {
    let mut out = Vec::new();
    if me.is_user {
        out.push(Subject::User(me.login.clone()));
        out.push(Subject::Name(me.login.clone()));
    }
    for g in &me.groups {
        out.push(Subject::Group(g.clone()));
        out.push(Subject::Name(g.clone()));
    }
    if let Some(k) = &me.key_id {
        out.push(Subject::Key(k.clone()));
    }
    out
}
