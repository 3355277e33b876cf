//! `GovernArtifactSearchQuery`'s builder methods. Each returns the query, so calls
//! chain (`q.add_artifact_filter(f).set_artifact_search_sort(s)`); Python's return
//! `None`, which a script ignoring the result does not notice.
use super::builder::{Builder, check};
use super::classes::GovernArtifactSearchQuery;
use super::spec::Ty;
use crate::bindings::arg::{Arg, ScriptType};
use crate::bindings::bridge::{RhaiResult, local_error};
use crate::bindings::method::methods;
use rhai::{Dynamic, Module};

/// The query type.
pub type Query = Builder<GovernArtifactSearchQuery>;

/// Declares an argument accepting an object of a builder class derived from `$base`.
macro_rules! derived_args {
    ($($(#[$doc:meta])* $name:ident: $base:literal;)*) => {
        $(
            $(#[$doc])*
            pub struct $name(pub Dynamic);

            impl ScriptType for $name {
                const NAME: &'static str = $base;
            }

            impl Arg for $name {
                fn from_arg(call: &str, param: &str, value: Dynamic) -> RhaiResult<Self> {
                    if value.is_unit() {
                        return Err(local_error(call, format!("{param} must be a {}, not ()", $base)));
                    }
                    check(param, Ty::Derived($base), &value).map_err(|m| local_error(call, m))?;
                    Ok(Self(value))
                }
            }
        )*
    };
}

derived_args! {
    /// A search source (`GovernArtifactSearchSourceAll()`).
    SourceArg: "GovernArtifactSearchSource";
    /// A filter (`GovernArtifactFilterBlueprints(..)`, ...).
    FilterArg: "GovernArtifactFilter";
    /// A sort (`GovernArtifactSearchSortName()`, ...).
    SortArg: "GovernArtifactSearchSort";
}

/// Runs an attribute change of the query as the call `q`.
fn change(
    q: &crate::bindings::call::Call<'_, Query>,
    f: impl FnOnce(&super::builder::Obj) -> Result<(), String>,
) -> RhaiResult<Query> {
    f(&q.obj).map_err(|m| local_error(q.name, m))?;
    Ok(q.this.clone())
}

/// Registers the query's methods.
pub fn register(module: &mut Module) {
    methods! { module; Builder<GovernArtifactSearchQuery> as q {
        /// Sets the search source (`GovernArtifactSearchSourceAll()`).
        fn set_artifact_search_source(artifact_search_source: SourceArg) -> Builder<GovernArtifactSearchQuery> {
            change(q, |o| o.set("artifact_search_source", artifact_search_source.0))
        }
        /// Removes every filter.
        fn clear_artifact_filters() -> Builder<GovernArtifactSearchQuery> {
            change(q, |o| o.set("artifact_filters", Dynamic::from_array(vec![])))
        }
        /// Adds a filter (filters are AND-ed).
        fn add_artifact_filter(artifact_filter: FilterArg) -> Builder<GovernArtifactSearchQuery> {
            change(q, |o| o.push("artifact_filters", artifact_filter.0))
        }
        /// Removes the sort.
        fn clear_artifact_search_sort() -> Builder<GovernArtifactSearchQuery> {
            change(q, |o| o.set("artifact_search_sort", Dynamic::UNIT))
        }
        /// Sets the sort (`GovernArtifactSearchSortName("DESC")`, ...).
        fn set_artifact_search_sort(artifact_search_sort: SortArg) -> Builder<GovernArtifactSearchQuery> {
            change(q, |o| o.set("artifact_search_sort", artifact_search_sort.0))
        }
    }}
}
