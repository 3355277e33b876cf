//! Stand-in for the `people` branch (issue 13): `GovernUser` and
//! `GovernClient.get_user()`, declared here only so that the `keys` branch can add
//! `GovernUser.get_client_as()` and `start_resync_from_supplier()` (in `keys.rs`).
//! At merge, this file goes: `people` declares the same class with the same key.
use super::handle::Handle;
use super::kind::kinds;
use super::kinds::GovernClient;
use super::method::methods;
use super::register::Register;
use rhai::Module;

kinds! {
    /// A user of the instance, by login.
    GovernUser: Handle<String> keys(login);
}

/// Registers `GovernUser` and `GovernClient.get_user()`.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    register_types(engine);
    methods! { module; Handle<GovernClient> as c {
        /// A handle on a user (no request is made until you use it).
        fn get_user(login: String) -> Handle<GovernUser> {
            Ok(c.handle(login))
        }
    }}
}
