//! The rights engine in process: the grants table follows artifact and rule writes,
//! and a search condition agrees with the per-artifact rights.
use super::view::View;
use super::{Perms, artifact_rights};
use crate::sandbox::auth::Principal;
use crate::sandbox::error::ApiResult;
use crate::sandbox::store::{Db, Store, Table};
use serde_json::{Value, json};

fn user(login: &str, groups: &[&str]) -> Principal {
    Principal {
        login: login.into(),
        is_user: true,
        groups: groups.iter().map(|g| g.to_string()).collect(),
        admin: false,
        architect: false,
        key_id: None,
    }
}

fn artifact(id: &str, owner: &str) -> Value {
    json!({"id": id, "name": id, "fields": {"owner": owner},
           "blueprintVersionId": {"blueprintId": "bp.x", "versionId": "bv.1"}})
}

fn rules(rules: Value) -> Value {
    json!({"blueprintId": "bp.x", "roleAssignmentsRules": rules})
}

/// The artifacts `me`'s search condition lets through, in id order.
fn searched(db: &Db, me: &Principal) -> ApiResult<Vec<String>> {
    let Some(view) = View::load(db, me)? else {
        return Ok(vec!["(all)".into()]);
    };
    let c = view.search_condition(db)?;
    let sql = format!(
        "SELECT a.id FROM search_artifacts a WHERE {} ORDER BY a.id",
        c.sql
    );
    let mut stmt = db.conn().prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(c.params), |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn readable(db: &Db, me: &Principal) -> ApiResult<Vec<String>> {
    let mut out = Vec::new();
    for (id, a) in db.list(Table::Artifacts, "")? {
        if artifact_rights(db, me, &a)?.has(Perms::READ) {
            out.push(id);
        }
    }
    out.sort();
    Ok(out)
}

#[test]
fn grants_follow_artifact_and_rule_writes_and_searches_agree_with_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("r.db")).expect("store");
    let (alice, bob) = (user("alice", &[]), user("bob", &["team"]));
    store
        .write(|db| {
            db.put(Table::Blueprints, "bp.x", &json!({"id": "bp.x"}))?;
            db.put(Table::Artifacts, "ar.1", &artifact("ar.1", "alice"))?;
            db.put(Table::Artifacts, "ar.2", &artifact("ar.2", "bob"))?;
            let owners = json!({"ro.contributor": [{"criteria": [], "userContainers": [], "fieldIds": ["owner"]}]});
            db.put(Table::RoleAssignments, "bp.x", &rules(owners))?;
            for me in [&alice, &bob] {
                assert_eq!(searched(db, me)?, readable(db, me)?);
            }
            assert_eq!(searched(db, &alice)?, ["ar.1"]);
            // An artifact write moves its grant.
            db.put(Table::Artifacts, "ar.2", &artifact("ar.2", "alice"))?;
            assert_eq!(searched(db, &alice)?, ["ar.1", "ar.2"]);
            assert!(searched(db, &bob)?.is_empty());
            // A rule write recomputes the blueprint's grants: a group gets it whole.
            let team = json!({"ro.reader": [{"criteria": [], "userContainers": [{"type": "group", "groupName": "team"}], "fieldIds": []}]});
            db.put(Table::RoleAssignments, "bp.x", &rules(team))?;
            assert!(searched(db, &alice)?.is_empty());
            assert_eq!(searched(db, &bob)?, ["ar.1", "ar.2"]);
            assert_eq!(readable(db, &bob)?, ["ar.1", "ar.2"]);
            // Deleting the rules leaves nobody but admins.
            db.delete(Table::RoleAssignments, "bp.x")?;
            assert!(searched(db, &bob)?.is_empty() && readable(db, &bob)?.is_empty());
            let count: i64 = db
                .conn()
                .query_row("SELECT count(*) FROM rights_grants", [], |r| r.get(0))?;
            assert_eq!(count, 0);
            Ok(())
        })
        .expect("rights");
}

#[test]
fn global_key_containers_and_architects() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("k.db")).expect("store");
    let key = Principal {
        login: "gk.1".into(),
        is_user: false,
        groups: vec![],
        admin: false,
        architect: false,
        key_id: Some("gk.1".into()),
    };
    let architect = Principal {
        architect: true,
        ..user("dave", &[])
    };
    store
        .write(|db| {
            db.put(Table::Blueprints, "bp.x", &json!({"id": "bp.x"}))?;
            db.put(Table::Artifacts, "ar.1", &artifact("ar.1", "gk.1"))?;
            // A field naming the key's id does not make a user of it: only containers.
            let owners = json!({"ro.project_manager": [{"criteria": [], "userContainers": [], "fieldIds": ["owner"]}]});
            db.put(Table::RoleAssignments, "bp.x", &rules(owners))?;
            let a = artifact("ar.1", "gk.1");
            assert!(artifact_rights(db, &key, &a)?.is_empty());
            let keys = json!({"ro.project_manager": [{"criteria": [], "userContainers": [{"type": "global-api-key", "globalAPIKeyId": "gk.1"}], "fieldIds": []}]});
            db.put(Table::RoleAssignments, "bp.x", &rules(keys))?;
            assert!(artifact_rights(db, &key, &a)?.has(Perms::DELETE));
            assert_eq!(searched(db, &key)?, ["ar.1"]);
            assert_eq!(artifact_rights(db, &architect, &a)?, Perms::ALL);
            assert_eq!(searched(db, &architect)?, ["(all)"]);
            Ok(())
        })
        .expect("rights");
}

/// 4,200 artifacts: bp.x's owned by alice or bob in turn (a `fieldIds` rule), every
/// seventh one of bp.y, read whole by group `team` (a static rule).
fn past_the_driving_bound(db: &Db) -> ApiResult<()> {
    db.put(Table::Blueprints, "bp.x", &json!({"id": "bp.x"}))?;
    db.put(Table::Blueprints, "bp.y", &json!({"id": "bp.y"}))?;
    let owners =
        json!({"ro.contributor": [{"criteria": [], "userContainers": [], "fieldIds": ["owner"]}]});
    db.put(Table::RoleAssignments, "bp.x", &rules(owners))?;
    let team = json!({"blueprintId": "bp.y", "roleAssignmentsRules": {"ro.reader": [
        {"criteria": [], "userContainers": [{"type": "group", "groupName": "team"}], "fieldIds": []}]}});
    db.put(Table::RoleAssignments, "bp.y", &team)?;
    for i in 0..4200 {
        let id = format!("ar.{i}");
        let mut a = artifact(&id, ["alice", "bob"][i % 2]);
        if i % 7 == 0 {
            a["blueprintVersionId"]["blueprintId"] = json!("bp.y");
        }
        db.put(Table::Artifacts, &id, &a)?;
    }
    Ok(())
}

#[test]
fn past_the_driving_bound_the_per_row_test_agrees_with_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("big.db")).expect("store");
    let alice = user("alice", &["team"]);
    store.write(past_the_driving_bound).expect("seed");
    store
        .read(|db| {
            let view = View::load(db, &alice)?.expect("a non-admin view");
            assert!(!view.search_condition(db)?.driven);
            let seen = searched(db, &alice)?;
            assert_eq!(seen, readable(db, &alice)?);
            assert_eq!(seen.len(), 600 + 1800);
            Ok(())
        })
        .expect("rights");
}

/// Regression guard for the views kept between requests: each write that changes what
/// alice reads (an artifact's field, the rules, the permissions) shows in her next
/// search on a reader connection, both past the driving bound and below it.
#[test]
fn a_kept_view_follows_every_write_that_changes_rights() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("kept.db")).expect("store");
    let alice = user("alice", &["team"]);
    store.write(past_the_driving_bound).expect("seed");
    let check = |len: usize| {
        store
            .read(|db| {
                let seen = searched(db, &alice)?;
                assert_eq!(seen, readable(db, &alice)?);
                assert_eq!(seen.len(), len);
                Ok(seen)
            })
            .expect("search")
    };
    assert!(!check(2400).contains(&"ar.1".to_string()));
    assert_eq!(check(2400).len(), 2400, "the kept view, read again");
    let write = |f: &dyn Fn(&Db) -> ApiResult<()>| store.write(|db| f(db)).expect("write");
    // ar.1 (bob's) given to alice.
    write(&|db| db.put(Table::Artifacts, "ar.1", &artifact("ar.1", "alice")));
    assert!(check(2401).contains(&"ar.1".to_string()));
    // bp.y's permissions stop giving readers read: bp.x's owned models only.
    let none = json!({"blueprintId": "bp.y", "permissions": {"ro.reader": {"read": false}}});
    write(&|db| db.put(Table::BlueprintPermissions, "bp.y", &none));
    assert_eq!(check(1801)[0], "ar.1");
    // The owners rule gone: nothing but bp.y, whose permissions are deleted (defaults).
    write(&|db| {
        db.delete(Table::RoleAssignments, "bp.x")?;
        db.delete(Table::BlueprintPermissions, "bp.y").map(|_| ())
    });
    check(600);
}

#[test]
fn two_databases_never_share_a_kept_view() {
    let dirs = [tempfile::tempdir(), tempfile::tempdir()].map(|d| d.expect("temp dir"));
    let alice = user("alice", &[]);
    // The same writes, hence the same generation; only the reader named differs.
    let seen: Vec<Vec<String>> = dirs
        .iter()
        .zip(["alice", "bob"])
        .map(|(dir, login)| {
            let store = Store::open(&dir.path().join("t.db")).expect("store");
            store
                .write(|db| {
                    db.put(Table::Blueprints, "bp.x", &json!({"id": "bp.x"}))?;
                    let reader = json!({"ro.reader": [{"criteria": [], "fieldIds": [],
                        "userContainers": [{"type": "user", "login": login}]}]});
                    db.put(Table::RoleAssignments, "bp.x", &rules(reader))?;
                    db.put(Table::Artifacts, "ar.1", &artifact("ar.1", "carol"))
                })
                .expect("write");
            store.read(|db| searched(db, &alice)).expect("search")
        })
        .collect();
    assert_eq!(seen, [vec!["ar.1".to_string()], vec![]]);
}
