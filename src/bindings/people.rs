//! Users and groups (`GovernClient`'s user and group methods, `GovernUser`,
//! `GovernGroup`). Users and groups are declared resources (`ADMIN_USERS`,
//! `ADMIN_GROUPS`): their list, get, save, create and delete go through the generic
//! calls of `client/resource.rs`; their documents' properties are in
//! [`super::people_docs`].
use super::arg::{JsonArray, JsonMap};
use super::bridge::RhaiResult;
use super::call::{Call, Object, str_at};
use super::convert::to_dynamic;
use super::handle::{Document, Handle};
use super::kinds::*;
use super::method::methods;
use super::register::Register;
use crate::client::people::Bulk;
use crate::protocol::Resource;
use crate::protocol::resources::{ADMIN_GROUPS, ADMIN_USERS};
use rhai::{Array, Dynamic, Module};
use serde_json::{Value, json};

/// Registers the users and groups family.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    super::people_docs::register(engine, module);
    client_methods(module);
    user_methods(module);
    group_methods(module);
}

/// `create_users`' defaults, filled into each user dict as Python's `setdefault`
/// does (after the caller's keys; a `null` `groups` becomes `[]`).
fn with_user_defaults<R: Object>(c: &Call<'_, R>, users: Value) -> RhaiResult<Value> {
    let Value::Array(users) = users else {
        return Err(c.fail("users must be an array of maps"));
    };
    let defaults = [
        ("login", json!("")),
        ("displayName", json!("")),
        ("sourceType", json!("LOCAL")),
        ("groups", json!([])),
        ("userProfile", json!("DATA_SCIENTIST")),
        ("email", Value::Null),
    ];
    users
        .into_iter()
        .enumerate()
        .map(|(i, user)| {
            let Value::Object(mut user) = user else {
                return Err(c.fail(format!("users[{i}] must be a map of the user's settings")));
            };
            for (key, value) in &defaults {
                user.entry(*key).or_insert_with(|| value.clone());
            }
            if user.get("groups").is_some_and(Value::is_null) {
                user.insert("groups".into(), json!([]));
            }
            Ok(Value::Object(user))
        })
        .collect::<RhaiResult<Vec<_>>>()
        .map(Value::Array)
}

/// Creates `id` of `resource` from `body`; the answer is not read (Python ignores it).
fn create<R: Object>(
    c: &Call<'_, R>,
    resource: &Resource,
    id: &str,
    body: Value,
) -> RhaiResult<()> {
    c.run(
        c.client()
            .create_item(resource, &[], id, Some(body), Vec::new()),
    )
    .map(|_| ())
}

fn client_methods(module: &mut Module) {
    methods! { module; Handle<GovernClient> as c {
        /// Lists the users (admin): dicts (`login`, `displayName`, `groups`, `sourceType`;
        /// every setting with `include_settings`), or `GovernUser` handles with `as_objects`.
        fn list_users(; as_objects: bool = false, include_settings: bool = false) -> Array {
            let users = c.run(c.client().list_users(include_settings))?;
            Ok(users
                .iter()
                .map(|u| if as_objects {
                    Dynamic::from(c.handle::<GovernUser>(str_at(u, "/login")))
                } else {
                    to_dynamic(u)
                })
                .collect())
        }
        /// A handle on a user (no request is made until you use it).
        fn get_user(login: String) -> Handle<GovernUser> {
            Ok(c.handle(login))
        }
        /// Creates a user (admin); `password` may be `()` (e.g. an LDAP user). Keyword
        /// arguments: `display_name`, `source_type` (`LOCAL`, `LDAP`, ...), `groups`,
        /// `profile`, `email`. Returns its handle.
        fn create_user(login: String, password: Option<String>; display_name: String = String::new(),
                       source_type: String = "LOCAL".into(), groups: Option<JsonArray> = None,
                       profile: String = "DATA_SCIENTIST".into(), email: Option<String> = None)
            -> Handle<GovernUser> {
            let body = json!({
                "login": login, "password": password, "displayName": display_name,
                "sourceType": source_type, "groups": groups.map_or(json!([]), |g| g.0),
                "userProfile": profile, "email": email,
            });
            create(c, &ADMIN_USERS, &login, body)?;
            Ok(c.handle(login))
        }
        /// Creates several users (admin) from settings maps (defaults as Python's);
        /// returns one `#{login, status: "SUCCESS"|"FAILURE", error}` per user.
        fn create_users(users: JsonArray) -> Dynamic {
            let body = with_user_defaults(c, users.0)?;
            Ok(to_dynamic(&c.run(c.client().bulk_users(Bulk::Create, body, false))?))
        }
        /// Edits several users (admin): each map names a `login` and the settings to
        /// change; returns one `#{login, status, error}` per user.
        fn edit_users(user_changes: JsonArray) -> Dynamic {
            Ok(to_dynamic(&c.run(c.client().bulk_users(Bulk::Edit, user_changes.0, false))?))
        }
        /// Deletes several users (admin); your own user only with `allow_self_deletion`.
        /// Returns one `#{login, status, error}` per login.
        fn delete_users(user_logins: JsonArray; allow_self_deletion: bool = false) -> Dynamic {
            let bulk = c.client().bulk_users(Bulk::Delete, user_logins.0, allow_self_deletion);
            Ok(to_dynamic(&c.run(bulk)?))
        }
        /// The user the API key acts as (no request).
        fn get_own_user() -> Handle<GovernOwnUser> {
            Ok(c.handle(Root(c.key.clone())))
        }
        /// Basic information on every user, as `GovernUserInfo`s (no admin right needed).
        fn list_users_info() -> Array {
            c.list::<GovernUserInfo>(c.client().list_users_info(), |u| Ok(str_at(u, "/login")))
        }
        /// Basic information on every group, as `GovernGroupInfo`s (no admin right needed).
        fn list_groups_info() -> Array {
            c.list::<GovernGroupInfo>(c.client().list_groups_info(), |g| Ok(str_at(g, "/name")))
        }
        /// Every user's activity (admin), as `GovernUserActivity`s; only the enabled
        /// users' with `enabled_users_only`.
        fn list_users_activity(; enabled_users_only: bool = false) -> Array {
            let all = c.client().list_users_activity(enabled_users_only);
            c.list::<GovernUserActivity>(all, |a| Ok(str_at(a, "/login")))
        }
        /// The authorization matrix of the enabled users and the groups (admin).
        fn get_authorization_matrix() -> Document<GovernAuthorizationMatrix> {
            let matrix = c.run(c.client().authorization_matrix())?;
            Ok(c.document(Root(c.key.clone()), matrix))
        }
        /// Lists the groups (admin), as dicts.
        fn list_groups() -> Array {
            let groups = c.run(c.client().list_items(&ADMIN_GROUPS, &[]))?;
            Ok(groups.iter().map(to_dynamic).collect())
        }
        /// A handle on a group (no request).
        fn get_group(name: String) -> Handle<GovernGroup> {
            Ok(c.handle(name))
        }
        /// Creates a group (admin); `source_type` is `LOCAL` or `LDAP`. Returns its handle.
        fn create_group(name: String; description: Option<String> = None,
                        source_type: String = "LOCAL".into()) -> Handle<GovernGroup> {
            let body = json!({"name": name, "description": description, "sourceType": source_type});
            create(c, &ADMIN_GROUPS, &name, body)?;
            Ok(c.handle(name))
        }
    }}
}

fn user_methods(module: &mut Module) {
    methods! { module; Handle<GovernUser> as u {
        /// Deletes the user (admin); your own user only with `allow_self_deletion`.
        fn delete(; allow_self_deletion: bool = false) -> () {
            u.run(u.client().delete_user(&u.key, allow_self_deletion))
        }
        /// Fetches the user's settings (admin); change them, then `save()`.
        fn get_settings() -> Document<GovernUserSettings> {
            u.fetch(u.client().get_item(&ADMIN_USERS, &[&u.key]))
        }
        /// Fetches the user's activity (admin).
        fn get_activity() -> Document<GovernUserActivity> {
            u.fetch(u.client().user_activity(&u.key))
        }
        /// Fetches basic information on the user (no admin right needed).
        fn get_info() -> Document<GovernUserInfo> {
            u.fetch(u.client().user_info(&u.key))
        }
        /// Deprecated (use `get_settings()`): the user's definition, as a map.
        fn get_definition() -> Dynamic {
            Ok(to_dynamic(&u.run(u.client().get_item(&ADMIN_USERS, &[&u.key]))?))
        }
        /// Deprecated (use `get_settings().save()`): replaces the user's definition
        /// (a `password` key sets the password); returns Govern's answer.
        fn set_definition(definition: JsonMap) -> Dynamic {
            let key = [u.key.as_str()];
            let saved = u.client().save_item(&ADMIN_USERS, &key, definition.0, Vec::new());
            Ok(to_dynamic(&u.run(saved)?))
        }
    }}
}

fn group_methods(module: &mut Module) {
    methods! { module; Handle<GovernGroup> as g {
        /// Deletes the group (admin); its members leave it.
        fn delete() -> () {
            g.run(g.client().delete_item(&ADMIN_GROUPS, &[&g.key]))
        }
        /// The group's definition (admin): `name`, `description`, `sourceType`, `admin`,
        /// `isGovernArchitect`, `ldapGroupNames`, as a map.
        fn get_definition() -> Dynamic {
            Ok(to_dynamic(&g.run(g.client().get_item(&ADMIN_GROUPS, &[&g.key]))?))
        }
        /// Replaces the group's definition (admin); returns Govern's answer.
        fn set_definition(definition: JsonMap) -> Dynamic {
            let key = [g.key.as_str()];
            let saved = g.client().save_item(&ADMIN_GROUPS, &key, definition.0, Vec::new());
            Ok(to_dynamic(&g.run(saved)?))
        }
    }}
}
