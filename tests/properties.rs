//! Property tests of the conversions and argument handling every binding relies on.
use govscript::bindings::arg::{Args, JsonArray, Param};
use govscript::bindings::convert::{to_dynamic, to_json};
use proptest::prelude::*;
use rhai::{Dynamic, Map};
use serde_json::Value;

/// JSON values as Govern documents hold them: no integers beyond i64, finite floats.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z_][a-zA-Z0-9_.]{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn json_survives_a_round_trip_through_rhai(value in json()) {
        let back = to_json(&to_dynamic(&value)).expect("plain JSON converts back");
        prop_assert_eq!(back, value);
    }

    #[test]
    fn keyword_arguments_land_in_their_declared_slot(
        users in proptest::option::of(prop::collection::vec(any::<i64>(), 0..4)),
        reload in proptest::option::of(any::<bool>()),
        as_map in any::<bool>(),
    ) {
        let declared = [
            Param::of::<Option<JsonArray>>("users_to_notify"),
            Param::of::<bool>("reload_conf_for_reset"),
        ];
        let users_value = users.clone().map(|u| Dynamic::from_array(u.into_iter().map(Dynamic::from).collect()));
        let given = if as_map {
            let mut map = Map::new();
            if let Some(u) = &users_value { map.insert("users_to_notify".into(), u.clone()); }
            if let Some(r) = reload { map.insert("reload_conf_for_reset".into(), Dynamic::from(r)); }
            vec![Dynamic::from_map(map)]
        } else {
            match (&users_value, reload) {
                (None, None) => vec![],
                (u, None) => vec![u.clone().unwrap_or(Dynamic::UNIT)],
                (u, Some(r)) => vec![u.clone().unwrap_or(Dynamic::UNIT), Dynamic::from(r)],
            }
        };
        let mut args = Args::resolve("T.f", vec![], &declared, given).expect("valid arguments");
        let got_users: Option<JsonArray> = args.optional(|| None).expect("users");
        let got_reload: bool = args.optional(|| false).expect("reload");
        prop_assert_eq!(got_users.map(|u| u.0), users.map(Value::from));
        prop_assert_eq!(got_reload, reload.unwrap_or(false));
    }

    #[test]
    fn unknown_keyword_names_are_always_refused(name in "[a-z_]{1,12}") {
        prop_assume!(name != "users_to_notify" && name != "reload_conf_for_reset");
        let declared = [
            Param::of::<Option<JsonArray>>("users_to_notify"),
            Param::of::<bool>("reload_conf_for_reset"),
        ];
        let mut map = Map::new();
        map.insert(name.as_str().into(), Dynamic::TRUE);
        let refused = Args::resolve("T.f", vec![], &declared, vec![Dynamic::from_map(map)]).is_err();
        prop_assert!(refused);
    }
}
