//! One declaration per Govern method.
//!
//! [`methods!`] turns a block of Rust-looking functions into registered Rhai methods:
//!
//! ```ignore
//! methods! { module; Handle<GovernArtifact> as a {
//!     /// Creates the sign-off of an ongoing step.
//!     fn create_signoff(step_id: String) -> Handle<GovernArtifactSignoff> {
//!         a.run(a.client().create_signoff(&a.key, &step_id))?;
//!         Ok(a.handle(SignoffRef::new(&a.key, step_id)))
//!     }
//!     /// Changes the status (keyword arguments after the `;`, with their defaults).
//!     fn update_status(signoff_status: String; users_to_notify: Option<JsonArray> = None,
//!                      reload_conf_for_reset: bool = false) -> () { ... }
//! }}
//! ```
//!
//! The Python name (`GovernArtifact.create_signoff`), the doc comment, the parameter
//! names and types and the return type are written once and become engine metadata,
//! which error messages list and editor definitions and completion read. Keyword
//! arguments are resolved by [`Args`]: positionally in Python order, or one trailing
//! map checked against the names.
use super::arg::{Args, Param, ScriptType};
use super::call::Call;
use rhai::{Dynamic, EvalAltResult, FuncRegistration, Module, RhaiFunc, Shared, Variant};
use std::any::TypeId;
use std::sync::Arc;

/// The body of a declared method: receiver and call name, then the resolved arguments.
pub type Body<R> = fn(&Call<'_, R>, &mut Args) -> Result<Dynamic, Box<EvalAltResult>>;

/// A declared Govern method (built by [`methods!`]).
pub struct Method<R> {
    /// The script name (the Python method name).
    pub name: &'static str,
    /// `Class.method`, carried by requests and errors.
    pub call: &'static str,
    /// Doc comment lines, each starting with `///`.
    pub docs: &'static [&'static str],
    /// Required parameters, in Python order.
    pub required: Vec<Param>,
    /// Keyword (optional) parameters, in Python order.
    pub optional: Vec<Param>,
    /// The script type of the result.
    pub returns: &'static str,
    /// What the method does.
    pub body: Body<R>,
}

impl<R: Variant + Clone + ScriptType> Method<R> {
    /// Registers the method once per accepted arity: the required arguments, then
    /// 0..=n keyword arguments (any type: they are checked by name when resolved).
    /// Into a bare module (see [`super::register::with_docs`]) without the parameter
    /// names and types and the doc comment.
    pub fn register(self, module: &mut Module) {
        if !super::register::wanted(self.name) {
            return;
        }
        let method = Arc::new(self);
        let documented = super::register::documenting();
        for extra in 0..=method.optional.len() {
            let mut types = vec![TypeId::of::<R>()];
            types.extend(method.required.iter().map(|p| p.dispatch));
            types.extend(std::iter::repeat_n(TypeId::of::<Dynamic>(), extra));

            let mut registration = FuncRegistration::new(method.name).in_global_namespace();
            if documented {
                let mut info = vec![format!("self: {}", R::NAME)];
                info.extend(method.required.iter().map(Param::info));
                info.extend(method.optional[..extra].iter().map(Param::info));
                info.push(method.returns.to_string());
                registration = registration
                    .with_params_info(info)
                    .with_comments(method.docs);
            }

            let m = Arc::clone(&method);
            let func =
                move |_: Option<rhai::NativeCallContext>, args: &mut [&mut Dynamic]| m.invoke(args);
            registration.set_into_module_raw(
                module,
                types,
                RhaiFunc::Method {
                    func: Shared::new(func),
                    has_context: false,
                    is_pure: true,
                    is_volatile: true,
                },
            );
        }
    }

    fn invoke(&self, args: &mut [&mut Dynamic]) -> Result<Dynamic, Box<EvalAltResult>> {
        let (receiver, rest) = args
            .split_first_mut()
            .expect("the engine passes the receiver first");
        let this = receiver
            .read_lock::<R>()
            .map(|r| r.clone())
            .expect("the engine dispatched on the receiver's type");
        let n = self.required.len();
        let required = self
            .required
            .iter()
            .zip(rest[..n].iter_mut())
            .map(|(p, v)| (p.name, std::mem::take(&mut **v)))
            .collect();
        let given = rest[n..]
            .iter_mut()
            .map(|v| std::mem::take(&mut **v))
            .collect();
        let mut args = Args::resolve(self.call, required, &self.optional, given)?;
        (self.body)(&Call::new(&this, self.call), &mut args)
    }
}

/// Declares and registers Govern methods; see the [module docs](self).
macro_rules! methods {
    ($module:expr; $wrap:ident < $kind:ident > as $this:ident {
        $(
            $(#[doc = $doc:literal])*
            fn $name:ident ( $($req:ident : $rty:ty),* $(; $($opt:ident : $oty:ty = $default:expr),+ )? )
                -> $ret:ty $body:block
        )*
    }) => {
        $(
            $crate::bindings::method::Method::<$wrap<$kind>> {
                name: stringify!($name),
                call: concat!(stringify!($kind), ".", stringify!($name)),
                docs: &[$(concat!("///", $doc)),*],
                required: vec![$($crate::bindings::arg::Param::of::<$rty>(stringify!($req))),*],
                optional: vec![$($($crate::bindings::arg::Param::of::<$oty>(stringify!($opt))),+)?],
                returns: <$ret as $crate::bindings::arg::ScriptType>::NAME,
                body: |$this, args| {
                    let _ = &args;
                    $(let $req: $rty = args.required()?;)*
                    $($(let $opt: $oty = args.optional(|| $default)?;)+)?
                    // A closure, so that `?` and `return` in the body stay inside it.
                    #[allow(clippy::redundant_closure_call)]
                    let result = (|| -> $crate::bindings::bridge::RhaiResult<$ret> { $body })();
                    result.map(rhai::Dynamic::from)
                },
            }
            .register($module);
        )*
    };
}
pub(crate) use methods;
