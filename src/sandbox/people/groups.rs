//! `/admin/groups`: groups as a generic collection. A save merges onto the stored
//! definition; a deletion takes the group out of its members' lists; neither may
//! leave the instance without an enabled administrator.
use super::admins::People;
use super::docs::{self, check_name};
use crate::protocol::{Resource, resources};
use crate::sandbox::auth::string_list;
use crate::sandbox::collection::{Collection, Query, object};
use crate::sandbox::error::ApiResult;
use crate::sandbox::store::{Db, Table};
use serde_json::{Value, json};

/// The groups collection.
pub struct Groups;

impl Collection for Groups {
    fn resource(&self) -> &'static Resource {
        &resources::ADMIN_GROUPS
    }

    fn table(&self) -> Table {
        Table::Groups
    }

    fn check_id(&self, what: &str, id: &str) -> ApiResult<()> {
        check_name(what, id)
    }

    fn create(&self, _db: &Db, key: &[String], _q: &Query, body: Value) -> ApiResult<Value> {
        docs::group(&key.join("/"), body)
    }

    fn save(
        &self,
        db: &Db,
        key: &[String],
        _q: &Query,
        old: Value,
        body: Value,
    ) -> ApiResult<Value> {
        let name = key.join("/");
        let mut merged = object("Group", old)?;
        merged.extend(object("Group", body)?);
        let group = docs::group(&name, Value::Object(merged))?;
        let mut people = People::load(db)?;
        people.set_group(&name, Some(group.clone()));
        people.ensure_an_admin(&format!("change group {name}"))?;
        Ok(group)
    }

    fn before_delete(&self, db: &Db, key: &[String]) -> ApiResult<()> {
        let name = key.join("/");
        let mut people = People::load(db)?;
        people.set_group(&name, None);
        people.ensure_an_admin(&format!("delete group {name}"))?;
        for (login, mut user) in people.users {
            let groups = string_list(&user["groups"]);
            if groups.contains(&name) {
                let kept: Vec<String> = groups.into_iter().filter(|g| *g != name).collect();
                user["groups"] = json!(kept);
                db.put(Table::Users, &login, &user)?;
            }
        }
        Ok(())
    }

    fn list_item(&self, stored: Value) -> Value {
        docs::group_list_item(stored)
    }
}
