//! One marker per Python Govern class covered so far: its shape and the key identifying it.
use super::kind::kinds;
use crate::client::signoffs::SignoffRef;
use crate::protocol::PathKey;
pub use crate::protocol::{ConfigKey, Root, VersionKey};
use std::fmt;

impl PathKey for SignoffRef {
    fn parts(&self) -> Vec<&str> {
        vec![&self.artifact_id, &self.step_id]
    }
}

impl PathKey for FeedbackKey {
    fn parts(&self) -> Vec<&str> {
        vec![
            &self.signoff.artifact_id,
            &self.signoff.step_id,
            &self.feedback_id,
        ]
    }
}

impl fmt::Display for SignoffRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}", self.artifact_id, self.step_id)
    }
}

/// A feedback of a sign-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackKey {
    /// The sign-off.
    pub signoff: SignoffRef,
    /// The feedback id.
    pub feedback_id: String,
}

impl fmt::Display for FeedbackKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}", self.signoff, self.feedback_id)
    }
}

kinds! {
    /// The client itself, keyed by host.
    GovernClient: Handle<String>;
    /// `get_instance_info()` result.
    GovernInstanceInfo: Document<String>;
    /// An item of `list_blueprints()`.
    GovernBlueprintListItem: Document<String>;
    /// A blueprint handle.
    GovernBlueprint: Handle<String> keys(blueprint_id);
    /// A blueprint's definition.
    GovernBlueprintDefinition: Document<String> keys(blueprint_id) raw(definition);
    /// An item of `GovernBlueprint.list_versions()`.
    GovernBlueprintVersionListItem: Document<VersionKey> keys(blueprint_id, version_id);
    /// A blueprint version handle.
    GovernBlueprintVersion: Handle<VersionKey> keys(blueprint_id, version_id);
    /// A blueprint version's trace (status, origin).
    GovernBlueprintVersionTrace: Document<VersionKey> keys(blueprint_id, version_id) raw(trace);
    /// A blueprint version's definition.
    GovernBlueprintVersionDefinition: Document<VersionKey> keys(blueprint_id, version_id) raw(definition);
    /// An artifact handle.
    GovernArtifact: Handle<String> keys(artifact_id);
    /// An artifact's definition.
    GovernArtifactDefinition: Document<String> keys(artifact_id) raw(definition);
    /// An item of `GovernArtifact.list_signoffs()`.
    GovernArtifactSignoffListItem: Document<SignoffRef> keys(artifact_id, step_id);
    /// A sign-off handle.
    GovernArtifactSignoff: Handle<SignoffRef> keys(artifact_id, step_id);
    /// A sign-off's definition.
    GovernArtifactSignoffDefinition: Document<SignoffRef> keys(artifact_id, step_id) raw(definition);
    /// A sign-off's recurrence configuration.
    GovernArtifactSignoffRecurrenceConfiguration: Document<SignoffRef> keys(artifact_id, step_id) raw(recurrence_configuration);
    /// A sign-off's computed details.
    GovernArtifactSignoffDetails: Document<SignoffRef> keys(artifact_id, step_id) raw(details);
    /// An item of `GovernArtifactSignoff.list_feedbacks()`.
    GovernArtifactSignoffFeedbackListItem: Document<FeedbackKey> keys(artifact_id, step_id, feedback_id);
    /// A feedback handle.
    GovernArtifactSignoffFeedback: Handle<FeedbackKey> keys(artifact_id, step_id, feedback_id);
    /// A feedback's definition.
    GovernArtifactSignoffFeedbackDefinition: Document<FeedbackKey> keys(artifact_id, step_id, feedback_id) raw(definition);
    /// The final approval handle of a sign-off.
    GovernArtifactSignoffApproval: Handle<SignoffRef> keys(artifact_id, step_id);
    /// The final approval's definition.
    GovernArtifactSignoffApprovalDefinition: Document<SignoffRef> keys(artifact_id, step_id) raw(definition);
    /// The blueprint designer (`get_blueprint_designer()`).
    GovernAdminBlueprintDesigner: Handle<Root>;
    /// An item of the designer's `list_blueprints()`.
    GovernAdminBlueprintListItem: Document<String>;
    /// A blueprint in the designer.
    GovernAdminBlueprint: Handle<String> @ ADMIN_BLUEPRINTS => GovernAdminBlueprintDefinition;
    /// A blueprint's editable definition.
    GovernAdminBlueprintDefinition: Document<String> raw(definition);
    /// An item of `GovernAdminBlueprint.list_versions()` (DRAFT versions included).
    GovernAdminBlueprintVersionListItem: Document<VersionKey>;
    /// A blueprint version in the designer.
    GovernAdminBlueprintVersion: Handle<VersionKey> @ ADMIN_BLUEPRINT_VERSIONS => GovernAdminBlueprintVersionDefinition;
    /// A blueprint version's editable definition: fields, workflow, UI.
    GovernAdminBlueprintVersionDefinition: Document<VersionKey> raw(definition);
    /// A blueprint version's trace: status (settable) and origin.
    GovernAdminBlueprintVersionTrace: Document<VersionKey> keys(blueprint_id, version_id) raw(trace);
    /// An item of `GovernAdminBlueprintVersion.list_signoff_configurations()`.
    GovernAdminSignoffConfigurationListItem: Document<ConfigKey>;
    /// The sign-off configuration of a version's workflow step.
    GovernAdminSignoffConfiguration: Handle<ConfigKey> @ SIGNOFF_CONFIGURATIONS => GovernAdminSignoffConfigurationDefinition;
    /// A sign-off configuration's editable definition.
    GovernAdminSignoffConfigurationDefinition: Document<ConfigKey> raw(definition);
    /// The roles and permissions handler (`get_roles_permissions_handler()`).
    GovernAdminRolesPermissionsHandler: Handle<Root>;
    /// An item of `list_roles()`.
    GovernAdminRoleListItem: Document<String>;
    /// A role (`ro.x`).
    GovernAdminRole: Handle<String> @ ROLES => GovernAdminRoleDefinition;
    /// A role's editable definition: `label`, `description`.
    GovernAdminRoleDefinition: Document<String> raw(definition);
    /// An item of `list_role_assignments()`.
    GovernAdminBlueprintRoleAssignmentsListItem: Document<String>;
    /// The role assignments of a blueprint.
    GovernAdminBlueprintRoleAssignments: Handle<String> @ ROLE_ASSIGNMENTS => GovernAdminBlueprintRoleAssignmentsDefinition;
    /// A blueprint's role-assignment rules (`roleAssignmentsRules`), editable.
    GovernAdminBlueprintRoleAssignmentsDefinition: Document<String> raw(definition);
    /// An item of `list_blueprint_permissions()`.
    GovernAdminBlueprintPermissionsListItem: Document<String>;
    /// The permissions of a blueprint (the default permissions apply without them).
    GovernAdminBlueprintPermissions: Handle<String> @ BLUEPRINT_PERMISSIONS => GovernAdminBlueprintPermissionsDefinition;
    /// A blueprint's permissions (`permissions`), editable.
    GovernAdminBlueprintPermissionsDefinition: Document<String> raw(definition);
    /// The default permissions of the instance, editable.
    GovernAdminDefaultPermissionsDefinition: Document<Root> raw(definition);
    /// A user, as an administrator manages it (`get_user(login)`).
    GovernUser: Handle<String> keys(login) @ ADMIN_USERS => GovernUserSettings;
    /// A user's settings (`GovernUser.get_settings()`): `save()` writes them back.
    GovernUserSettings: Document<String> keys(login) raw(settings);
    /// The user the API key acts as (`get_own_user()`).
    GovernOwnUser: Handle<Root>;
    /// The caller's own settings (`GovernOwnUser.get_settings()`).
    GovernOwnUserSettings: Document<Root> raw(settings);
    /// A user's activity: last successful and failed logins, last session activity.
    GovernUserActivity: Document<String> keys(login) raw(activity);
    /// Basic information on a user, readable by anyone (`list_users_info()`).
    GovernUserInfo: Document<String>;
    /// A group, as an administrator manages it (`get_group(name)`).
    GovernGroup: Handle<String> keys(name);
    /// Basic information on a group, readable by anyone (`list_groups_info()`).
    GovernGroupInfo: Document<String>;
    /// The authorization matrix of the enabled users and the groups.
    GovernAuthorizationMatrix: Document<Root> raw(authorization_matrix);
    // Time series (issue 14 §2): the datapoints are plain maps, not a class.
    /// A time series (`get_time_series(id)`): its values by timestamp (epoch ms).
    GovernTimeSeries: Handle<String> keys(time_series_id);
    // Custom pages (issue 14 §1).
    /// An item of `list_custom_pages()`: a page you may see, in display order.
    GovernCustomPageListItem: Document<String>;
    /// A custom page as any user reads it (`get_custom_page(custom_page_id)`).
    GovernCustomPage: Handle<String> keys(custom_page_id);
    /// A custom page's definition, read only (edit it through the custom pages handler).
    GovernCustomPageDefinition: Document<String> keys(custom_page_id) raw(definition);
    /// The custom pages handler (`get_custom_pages_handler()`).
    GovernAdminCustomPagesHandler: Handle<Root>;
    /// An item of the handler's `list_custom_pages()`.
    GovernAdminCustomPageListItem: Document<String>;
    /// A custom page as an administrator edits it (`cp.x`; standard pages by their own ids).
    GovernAdminCustomPage: Handle<String> @ ADMIN_CUSTOM_PAGES => GovernAdminCustomPageDefinition;
    /// A custom page's editable definition (`name`, `type`, `visible`, its content settings).
    GovernAdminCustomPageDefinition: Document<String> raw(definition);
    // Uploaded files (issue 14 §3).
    /// An uploaded file (`upload_file`, `get_uploaded_file`): its `uploaded_file_id`.
    GovernUploadedFile: Handle<String> keys(uploaded_file_id);
    // Instance administration (issue 14 §4, bindings/admin.rs).
    /// The general settings of the instance (`get_general_settings()`): `save()` writes them.
    GovernGeneralSettings: Document<Root> raw(settings);
    /// A summary of the instance's usage (`get_global_usage_summary()`).
    GovernGlobalUsageSummary: Document<Root> raw(data);
    /// The Single Sign-On settings (`get_sso_settings()`; Python's DSS class).
    DSSSSOSettings: Document<Root> raw(sso_settings);
    /// The LDAP settings (`get_ldap_settings()`; Python's DSS class).
    DSSLDAPSettings: Document<Root> raw(ldap_settings);
    /// The Azure AD settings (`get_azure_ad_settings()`; Python's DSS class).
    DSSAzureADSettings: Document<Root> raw(azuread_settings);
}
