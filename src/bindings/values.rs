//! Value classes users construct themselves, by calling the class name:
//! `GovernBlueprintVersionId("bp.x", "bv.y")`, `GovernUserUsersContainer("jdoe")`.
use super::bridge::{RhaiResult, local_error};
use super::convert::{ToJson, json_type, to_dynamic};
use super::def::{def, documented_type, prop};
use crate::bindings::register::Register;
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

impl ToJson for GovernBlueprintVersionId {
    /// The JSON the Python `build()` returns.
    fn to_json(&self) -> Value {
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

impl ToJson for GovernUserUsersContainer {
    /// The JSON the Python `build()` returns.
    fn to_json(&self) -> Value {
        json!({"type": "user", "login": self.user_login})
    }
}

documented_type!(
    "GovernBlueprintVersionId" = GovernBlueprintVersionId,
    "Identifies a blueprint version: `GovernBlueprintVersionId(\"bp.x\", \"bv.y\")`."
);
documented_type!(
    "GovernUsersContainer" = GovernUsersContainer,
    "The abstract users container of the Python client; only its subclasses build."
);
documented_type!(
    "GovernUserUsersContainer" = GovernUserUsersContainer,
    "A users container holding one user: `GovernUserUsersContainer(\"jdoe\")`."
);

/// Registers the value classes and their constructors.
pub fn register(engine: &mut impl Register) {
    json_type::<GovernBlueprintVersionId>();
    json_type::<GovernUserUsersContainer>();
    engine
        .register_documented::<GovernBlueprintVersionId>()
        .register_fn(
            "==",
            |a: GovernBlueprintVersionId, b: GovernBlueprintVersionId| a == b,
        )
        .register_documented::<GovernUsersContainer>()
        .register_documented::<GovernUserUsersContainer>()
        .register_fn(
            "==",
            |a: GovernUserUsersContainer, b: GovernUserUsersContainer| a == b,
        );
    prop(
        engine,
        "blueprint_id",
        "The blueprint id (`bp.x`).",
        |v: &mut GovernBlueprintVersionId| v.blueprint_id.clone(),
    );
    prop(
        engine,
        "version_id",
        "The version id (`bv.y`).",
        |v: &mut GovernBlueprintVersionId| v.version_id.clone(),
    );
    def(
        engine,
        "to_string",
        &["self: GovernBlueprintVersionId", "String"],
        "`GovernBlueprintVersionId(bp.x, bv.y)`, as `print` shows it.",
        |v: &mut GovernBlueprintVersionId| {
            format!(
                "GovernBlueprintVersionId({}, {})",
                v.blueprint_id, v.version_id
            )
        },
    );
    prop(
        engine,
        "type",
        "The container type (`user`, `group`, ...).",
        |c: &mut GovernUsersContainer| c.container_type.clone(),
    );
    prop(
        engine,
        "type",
        "The container type: `user`.",
        |_: &mut GovernUserUsersContainer| "user".to_string(),
    );
    prop(
        engine,
        "user_login",
        "The user's login.",
        |c: &mut GovernUserUsersContainer| c.user_login.clone(),
    );
    def(
        engine,
        "to_string",
        &["self: GovernUserUsersContainer", "String"],
        "`GovernUserUsersContainer(login)`, as `print` shows it.",
        |c: &mut GovernUserUsersContainer| format!("GovernUserUsersContainer({})", c.user_login),
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
        |v: &mut GovernBlueprintVersionId| to_dynamic(&v.to_json()),
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
        |c: &mut GovernUserUsersContainer| to_dynamic(&c.to_json()),
    );
}
