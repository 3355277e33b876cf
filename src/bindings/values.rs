//! Value classes users construct themselves, by calling the class name:
//! `GovernBlueprintVersionId("bp.x", "bv.y")`, `GovernUserUsersContainer("jdoe")`.
use super::bridge::{RhaiResult, local_error};
use super::convert::to_dynamic;
use super::handle::def;
use super::register::Register;
use rhai::Dynamic;
use serde_json::{Value, json};

/// Identifies a blueprint version: `{"blueprintId": ..., "versionId": ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct GovernBlueprintVersionId {
    /// The blueprint id (`bp.x`).
    pub blueprint_id: String,
    /// The version id (`bv.y`).
    pub version_id: String,
}

impl GovernBlueprintVersionId {
    /// The JSON the Python `build()` returns.
    pub fn build(&self) -> Value {
        json!({"blueprintId": self.blueprint_id, "versionId": self.version_id})
    }
}

/// The abstract users container of the Python client; only its subclasses build.
#[derive(Debug, Clone, PartialEq)]
pub struct GovernUsersContainer {
    /// The container type (`user`, `group`, ...).
    pub container_type: String,
}

/// A users container holding one user: `{"type": "user", "login": ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct GovernUserUsersContainer {
    /// The user's login.
    pub user_login: String,
}

impl GovernUserUsersContainer {
    /// The JSON the Python `build()` returns.
    pub fn build(&self) -> Value {
        json!({"type": "user", "login": self.user_login})
    }
}

/// Registers the value classes and their constructors.
pub fn register(engine: &mut impl Register) {
    engine
        .register_type_with_name::<GovernBlueprintVersionId>("GovernBlueprintVersionId")
        .register_get("blueprint_id", |v: &mut GovernBlueprintVersionId| {
            v.blueprint_id.clone()
        })
        .register_get("version_id", |v: &mut GovernBlueprintVersionId| {
            v.version_id.clone()
        })
        .register_fn("to_string", |v: &mut GovernBlueprintVersionId| {
            format!(
                "GovernBlueprintVersionId({}, {})",
                v.blueprint_id, v.version_id
            )
        })
        .register_fn(
            "==",
            |a: GovernBlueprintVersionId, b: GovernBlueprintVersionId| a == b,
        )
        .register_type_with_name::<GovernUsersContainer>("GovernUsersContainer")
        .register_get("type", |c: &mut GovernUsersContainer| {
            c.container_type.clone()
        })
        .register_type_with_name::<GovernUserUsersContainer>("GovernUserUsersContainer")
        .register_get("type", |_: &mut GovernUserUsersContainer| {
            "user".to_string()
        })
        .register_get("user_login", |c: &mut GovernUserUsersContainer| {
            c.user_login.clone()
        })
        .register_fn("to_string", |c: &mut GovernUserUsersContainer| {
            format!("GovernUserUsersContainer({})", c.user_login)
        })
        .register_fn(
            "==",
            |a: GovernUserUsersContainer, b: GovernUserUsersContainer| a == b,
        );

    def(
        engine,
        "GovernBlueprintVersionId",
        &[
            "blueprint_id: String",
            "version_id: String",
            "GovernBlueprintVersionId",
        ],
        "Identifier of a blueprint version, e.g. for `create_artifact`.",
        |bp: &str, bv: &str| GovernBlueprintVersionId {
            blueprint_id: bp.into(),
            version_id: bv.into(),
        },
    );
    def(
        engine,
        "build",
        &["self: GovernBlueprintVersionId", "Map"],
        "The JSON form: `#{blueprintId, versionId}`.",
        |v: &mut GovernBlueprintVersionId| to_dynamic(&v.build()),
    );
    def(
        engine,
        "GovernUsersContainer",
        &["type: String", "GovernUsersContainer"],
        "The abstract users container; use a concrete one such as `GovernUserUsersContainer`.",
        |t: &str| GovernUsersContainer {
            container_type: t.into(),
        },
    );
    def(
        engine,
        "build",
        &["self: GovernUsersContainer", "Map"],
        "Fails: an abstract users container cannot be built.",
        |_: &mut GovernUsersContainer| -> RhaiResult<Dynamic> {
            Err(local_error(
                "GovernUsersContainer.build",
                "Cannot build an abstract users container",
            ))
        },
    );
    def(
        engine,
        "GovernUserUsersContainer",
        &["user_login: String", "GovernUserUsersContainer"],
        "A users container for one user, for delegations.",
        |login: &str| GovernUserUsersContainer {
            user_login: login.into(),
        },
    );
    def(
        engine,
        "build",
        &["self: GovernUserUsersContainer", "Map"],
        "The JSON form: `#{type: \"user\", login}`.",
        |c: &mut GovernUserUsersContainer| to_dynamic(&c.build()),
    );
}
