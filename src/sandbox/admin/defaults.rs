//! The seeded settings documents: what an instance where nothing was ever saved
//! answers. Their keys are also the keys a save type-checks (see [`super::settings`]).
//! The IAM keys are those the Python client's DSS classes read and write (§3.14).
use serde_json::{Value, json};

/// The general settings (the sandbox's choice of keys; Govern's are undocumented).
pub fn general() -> Value {
    json!({
        "nodeName": "Govern sandbox",
        "studioExternalUrl": "",
        "notifications": {"emailsEnabled": false, "senderAddress": "govern@localhost"},
        "security": {"sessionTimeoutMinutes": 1440, "apiKeysSecure": true},
        "auditTrail": {"retentionDays": 90},
        "uiCustomization": {"homeMessage": ""},
    })
}

/// SSO: disabled, SAML, empty OpenID and SAML SP parameters.
pub fn sso() -> Value {
    json!({
        "enabled": false,
        "protocol": "SAML",
        "spnegoMode": "PREAUTH_KEYTAB",
        "remappingRules": [],
        "autoProvisionUsersAtLoginTime": false,
        "autoSyncUsersAtLoginTime": false,
        "defaultUserProfile": "READER",
        "groupProfiles": [],
        "authorizedGroups": [],
        "openIDParams": {
            "clientId": "", "clientSecret": "", "scope": "openid profile email",
            "issuer": "", "authorizationEndpoint": "", "tokenEndpoint": "", "jwksUri": "",
            "claimKeyIdentifier": "sub", "claimKeyDisplayName": "name",
            "claimKeyEmail": "email", "lowercaseIdentifier": false, "enableGroups": false,
            "claimKeyGroups": "groups", "useGlobalProxy": false, "usePKCE": false,
            "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC",
        },
        "samlSPParams": {
            "signRequests": false, "displayNameAttribute": "", "emailAttribute": "",
            "enableGroups": false, "groupsAttribute": "",
        },
    })
}

/// LDAP: disabled, the usual POSIX filters.
pub fn ldap() -> Value {
    json!({
        "url": "", "useTls": false, "bindDN": "", "bindPassword": "",
        "userFilter": "(&(objectClass=posixAccount)(uid={USERNAME}))",
        "displayNameAttribute": "gecos", "emailAttribute": "mail", "enableGroups": true,
        "groupFilter": "(&(objectClass=posixGroup)(memberUid={USERDN}))",
        "groupNameAttribute": "cn", "authorizedGroups": [], "enabled": false,
        "autoImportUsers": true, "autoSyncUsersAtLoginTime": true,
        "allowOnDemandUsersSync": false, "defaultUserProfile": "READER", "groupProfiles": [],
        "authenticationEnabled": true, "allGroupsFilter": "", "allUsersFilter": "",
        "usernameAttribute": "uid", "groupMembershipAttribute": "",
        "allowOnDemandUsersProvisioning": false, "groupMembershipUserAttribute": "",
        "remappingRules": [],
    })
}

/// Azure AD: disabled.
pub fn azure_ad() -> Value {
    json!({
        "useGlobalProxy": false, "credentialMethod": "OAUTH2_CLIENT_SECRET",
        "credentialsClientId": "", "credentialsClientSecret": "", "credentialsTenantId": "",
        "userQueryFilter": "", "groupQueryFilter": "", "groupsLimit": 1000, "enabled": false,
        "autoProvisionUsersAtLoginTime": false, "autoSyncUsersAtLoginTime": false,
        "allowOnDemandUsersSync": false, "defaultUserProfile": "READER", "groupProfiles": [],
        "authorizedGroups": [], "allowOnDemandUsersProvisioning": false,
        "loginAttributeRef": "userPrincipalName", "remappingRules": [],
    })
}

/// The licensing status before any license is set.
pub fn licensing_status() -> Value {
    json!({
        "hasLicense": true,
        "licenseKind": "SANDBOX",
        "licensee": "govscript sandbox",
        "expiresOn": null,
        "expired": false,
        "source": "SANDBOX",
    })
}
