//! The Rhai types of the builder classes: one marker per Python class, each
//! registered the same way (constructor, `build()`, attributes as properties, printing).
use super::builder::{Builder, Class, Obj};
use super::spec::{self, Spec};
use crate::bindings::bridge::{RhaiResult, local_error};
use crate::bindings::handle::def;
use crate::bindings::json_ref::JsonRef;
use crate::bindings::register::Register;
use rhai::{Dynamic, FuncRegistration, Module, RhaiFunc, Shared};
use std::any::TypeId;

macro_rules! classes {
    ($($name:ident),* $(,)?) => {
        $(
            #[doc = concat!("The Python class `", stringify!($name), "`.")]
            pub enum $name {}
            impl Class for $name {
                const NAME: &'static str = stringify!($name);
            }
        )*

        /// The object a script value holds, if it is one of the builder classes.
        pub fn obj_of(value: &Dynamic) -> Option<Obj> {
            $(
                if let Some(b) = value.read_lock::<Builder<$name>>() {
                    return Some(b.obj.clone());
                }
            )*
            None
        }

        /// The script value of an object (typed by its class).
        pub fn to_dynamic(obj: Obj) -> Result<Dynamic, String> {
            match obj.spec.name {
                $(stringify!($name) => Ok(Dynamic::from(Builder::<$name>::wrap(obj))),)*
                other => Err(format!("no class {other}")),
            }
        }

        /// Registers every builder class.
        pub fn register(engine: &mut impl Register, module: &mut Module) {
            $(register_class::<$name>(engine, module);)*
        }

        #[cfg(test)]
        const DECLARED: &[&str] = &[$(stringify!($name)),*];
    };
}

classes! {
    GovernArtifactSearchQuery,
    GovernArtifactSearchSource,
    GovernArtifactSearchSourceAll,
    GovernArtifactSearchSort,
    GovernArtifactSearchSortName,
    GovernArtifactSearchSortWorkflow,
    GovernArtifactSearchSortField,
    GovernArtifactSearchSortFieldDefinition,
    GovernArtifactFilter,
    GovernArtifactFilterBlueprints,
    GovernArtifactFilterBlueprintVersions,
    GovernArtifactFilterArtifacts,
    GovernArtifactFilterFieldValue,
    GovernArtifactFilterArchivedStatus,
}

/// Registers class `C`: its type, constructor (every accepted arity), `build()`, one
/// property per attribute and printing.
fn register_class<C: Class>(engine: &mut impl Register, module: &mut Module) {
    let spec = Builder::<C>::spec();
    let doc = format!("/// {}", spec.doc);
    engine.register_type_doc::<Builder<C>>(C::NAME, &[doc.as_str()]);
    register_constructor::<C>(spec, module);
    let this = format!("self: {}", C::NAME);
    def(
        engine,
        "build",
        &[&this, "JsonRef"],
        "The JSON Python's `build()` returns (same keys, same order).",
        |b: &mut Builder<C>| -> RhaiResult<JsonRef> {
            let call = format!("{}.build", C::NAME);
            b.obj
                .build()
                .map(JsonRef::new)
                .map_err(|m| local_error(&call, m))
        },
    );
    for attr in spec::attributes(spec) {
        let doc = format!("Python's attribute `{attr}` (settable).");
        crate::bindings::def::prop(engine, attr, &doc, move |b: &mut Builder<C>| {
            b.obj.get(attr)
        });
        let doc = format!("Sets Python's attribute `{attr}`.");
        crate::bindings::def::setter(
            engine,
            attr,
            &doc,
            move |b: &mut Builder<C>, v: Dynamic| -> RhaiResult<()> {
                b.obj
                    .set(attr, v)
                    .map_err(|m| local_error(&format!("{}.{attr}", C::NAME), m))
            },
        );
    }
    for name in ["to_string", "to_debug"] {
        def(
            engine,
            name,
            &[&this, "String"],
            "The object as `print` shows it: its class and attributes.",
            |b: &mut Builder<C>| b.obj.describe(),
        );
    }
}

/// `ClassName(params...)`: parameters positionally in Python order, then optionally
/// one map of keyword arguments.
fn register_constructor<C: Class>(spec: &'static Spec, module: &mut Module) {
    if !crate::bindings::register::wanted(C::NAME) {
        return;
    }
    let required = spec
        .params
        .iter()
        .take_while(|p| matches!(p.default, spec::Init::Required))
        .count();
    let doc = [format!("/// {}", spec.doc)];
    // From 1 when parameters are required: `Class(#{name: value, ...})` names them all.
    for arity in required.min(1)..=spec.params.len() {
        let mut info: Vec<String> = spec.params[..arity]
            .iter()
            .map(|p| format!("{}: {}", p.name, p.ty.name()))
            .collect();
        info.push(C::NAME.to_string());
        let func = move |_: Option<rhai::NativeCallContext>, args: &mut [&mut Dynamic]| {
            let args = args.iter_mut().map(|a| std::mem::take(&mut **a)).collect();
            Obj::construct(spec, args)
                .map(|obj| Dynamic::from(Builder::<C>::wrap(obj)))
                .map_err(|m| local_error(C::NAME, m))
        };
        FuncRegistration::new(C::NAME)
            .in_global_namespace()
            .with_params_info(info)
            .with_comments(&doc)
            .set_into_module_raw(
                module,
                vec![TypeId::of::<Dynamic>(); arity],
                RhaiFunc::Pure {
                    func: Shared::new(func),
                    has_context: false,
                    is_pure: true,
                    is_volatile: true,
                },
            );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_has_a_spec_and_every_spec_a_class() {
        for name in DECLARED {
            assert!(spec::find(name).is_some(), "{name} has no spec");
        }
        for s in spec::ALL {
            assert!(DECLARED.contains(&s.name), "{} has no type", s.name);
        }
    }
}
