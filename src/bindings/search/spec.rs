//! The builder classes of `dataikuapi/govern/artifact_search.py`, as data: each class's
//! constructor parameters (Python names, order and defaults), the attributes its
//! parent class sets, and the JSON its `build()` returns (key order included).

/// What a value given for a parameter or attribute must be (`()` is always accepted:
/// Python's `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// Anything JSON can hold.
    Any,
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// An array.
    List,
    /// A class derived from the named abstract class (`GovernArtifactFilter`, ...).
    Derived(&'static str),
}

/// The value a constructor parameter takes when not given.
#[derive(Debug, Clone, Copy)]
pub enum Init {
    /// Required: no default.
    Required,
    /// `None`.
    None,
    /// `[]` (Python's `x if x is not None else []`).
    EmptyList,
    /// A string.
    Str(&'static str),
    /// A new object of the named class (`GovernArtifactSearchSourceAll()`).
    New(&'static str),
}

/// A constructor parameter, which becomes the attribute of the same name.
#[derive(Debug)]
pub struct Param {
    /// Python name.
    pub name: &'static str,
    /// Accepted values.
    pub ty: Ty,
    /// Value when not given.
    pub default: Init,
}

/// One key of the JSON `build()` returns.
#[derive(Debug)]
pub enum Out {
    /// `key: attribute` (`None` becomes `null`).
    Attr(&'static str, &'static str),
    /// `key: attribute`, left out when the attribute is `None`.
    IfSet(&'static str, &'static str),
    /// `key: {nested keys}`.
    Nested(&'static str, &'static [Out]),
}

/// One Python class.
#[derive(Debug)]
pub struct Spec {
    /// The Python class name, also the Rhai constructor and type name.
    pub name: &'static str,
    /// Its abstract parent, if any (what arguments typed with it accept).
    pub base: Option<&'static str>,
    /// One-line description (the constructor's doc comment).
    pub doc: &'static str,
    /// Attributes the parent's constructor sets to constants (`filter_type = "field"`).
    pub fixed: &'static [(&'static str, &'static str)],
    /// Constructor parameters, in Python order.
    pub params: &'static [Param],
    /// What `build()` returns; `None` for an abstract class (`build()` fails).
    pub build: Option<&'static [Out]>,
}

const fn p(name: &'static str, ty: Ty, default: Init) -> Param {
    Param { name, ty, default }
}

use Init::{EmptyList, New, Required};
use Out::{Attr, IfSet, Nested};

const SORT_OUT: &[Out] = &[
    Attr("direction", "direction"),
    Nested("column", &[Attr("type", "artifact_search_sort_type")]),
];
const DIRECTION: Param = p("direction", Ty::Str, Init::Str("ASC"));
const FILTER: Option<&str> = Some("GovernArtifactFilter");
const SORT: Option<&str> = Some("GovernArtifactSearchSort");

/// The query.
pub const QUERY: Spec = Spec {
    name: "GovernArtifactSearchQuery",
    base: None,
    doc: "An artifact search query: a source, AND-ed filters and an optional sort.",
    fixed: &[],
    params: &[
        p(
            "artifact_search_source",
            Ty::Derived("GovernArtifactSearchSource"),
            New("GovernArtifactSearchSourceAll"),
        ),
        p("artifact_filters", Ty::List, EmptyList),
        p(
            "artifact_search_sort",
            Ty::Derived("GovernArtifactSearchSort"),
            Init::None,
        ),
    ],
    build: Some(&[
        Attr("artifactSearchSource", "artifact_search_source"),
        Attr("artifactFilters", "artifact_filters"),
        IfSet("artifactSearchSort", "artifact_search_sort"),
    ]),
};

/// Every builder class: the query, sources, sorts and filters.
pub const ALL: &[&Spec] = &[
    &QUERY,
    &Spec {
        name: "GovernArtifactSearchSource",
        base: None,
        doc: "The abstract search source; use `GovernArtifactSearchSourceAll()`.",
        fixed: &[],
        params: &[p("search_source_type", Ty::Str, Required)],
        build: None,
    },
    &Spec {
        name: "GovernArtifactSearchSourceAll",
        base: Some("GovernArtifactSearchSource"),
        doc: "Searches all artifacts (the default source).",
        fixed: &[("search_source_type", "all")],
        params: &[],
        build: Some(&[Attr("type", "search_source_type")]),
    },
    &Spec {
        name: "GovernArtifactSearchSort",
        base: None,
        doc: "The abstract search sort; use one of its subclasses.",
        fixed: &[],
        params: &[
            p("artifact_search_sort_type", Ty::Str, Required),
            p("direction", Ty::Str, Required),
        ],
        build: None,
    },
    &Spec {
        name: "GovernArtifactSearchSortName",
        base: SORT,
        doc: "Sorts by artifact name; `direction` is \"ASC\" (default) or \"DESC\".",
        fixed: &[("artifact_search_sort_type", "name")],
        params: &[DIRECTION],
        build: Some(SORT_OUT),
    },
    &Spec {
        name: "GovernArtifactSearchSortWorkflow",
        base: SORT,
        doc: "Sorts by workflow progress; `direction` is \"ASC\" (default) or \"DESC\".",
        fixed: &[("artifact_search_sort_type", "workflow")],
        params: &[DIRECTION],
        build: Some(SORT_OUT),
    },
    &Spec {
        name: "GovernArtifactSearchSortField",
        base: SORT,
        doc: "Sorts by a field per blueprint: `fields` holds `GovernArtifactSearchSortFieldDefinition(..).build()` maps.",
        fixed: &[("artifact_search_sort_type", "field")],
        params: &[p("fields", Ty::List, EmptyList), DIRECTION],
        build: Some(&[
            Attr("direction", "direction"),
            Nested(
                "column",
                &[
                    Attr("type", "artifact_search_sort_type"),
                    Attr("fields", "fields"),
                ],
            ),
        ]),
    },
    &Spec {
        name: "GovernArtifactSearchSortFieldDefinition",
        base: None,
        doc: "The field of one blueprint to sort on, for `GovernArtifactSearchSortField`.",
        fixed: &[],
        params: &[
            p("blueprint_id", Ty::Str, Required),
            p("field_id", Ty::Str, Required),
        ],
        build: Some(&[
            Attr("blueprintId", "blueprint_id"),
            Attr("fieldId", "field_id"),
        ]),
    },
    &Spec {
        name: "GovernArtifactFilter",
        base: None,
        doc: "The abstract artifact filter; use one of its subclasses.",
        fixed: &[],
        params: &[p("filter_type", Ty::Str, Required)],
        build: None,
    },
    &Spec {
        name: "GovernArtifactFilterBlueprints",
        base: FILTER,
        doc: "Keeps artifacts of the given blueprint ids.",
        fixed: &[("filter_type", "blueprints")],
        params: &[p("blueprint_ids", Ty::List, EmptyList)],
        build: Some(&[
            Attr("type", "filter_type"),
            Attr("blueprintIds", "blueprint_ids"),
        ]),
    },
    &Spec {
        name: "GovernArtifactFilterBlueprintVersions",
        base: FILTER,
        doc: "Keeps artifacts of the given blueprint versions (`GovernBlueprintVersionId`s or their maps).",
        fixed: &[("filter_type", "blueprintVersions")],
        params: &[p("blueprint_version_ids", Ty::List, EmptyList)],
        build: Some(&[
            Attr("type", "filter_type"),
            Attr("blueprintVersionIds", "blueprint_version_ids"),
        ]),
    },
    &Spec {
        name: "GovernArtifactFilterArtifacts",
        base: FILTER,
        doc: "Keeps the artifacts with the given ids.",
        fixed: &[("filter_type", "artifacts")],
        params: &[p("artifact_ids", Ty::List, EmptyList)],
        build: Some(&[
            Attr("type", "filter_type"),
            Attr("artifactIds", "artifact_ids"),
        ]),
    },
    &Spec {
        name: "GovernArtifactFilterFieldValue",
        base: FILTER,
        doc: "Keeps artifacts whose field (or name, without `field_id`) matches: `condition_type` is EQUALS, CONTAINS, START_WITH or END_WITH.",
        fixed: &[("filter_type", "field")],
        params: &[
            p("condition_type", Ty::Str, Required),
            p("condition", Ty::Any, Init::None),
            p("field_id", Ty::Str, Init::None),
            p("negate_condition", Ty::Bool, Init::None),
            p("case_sensitive", Ty::Bool, Init::None),
        ],
        build: Some(&[
            Attr("type", "filter_type"),
            Attr("conditionType", "condition_type"),
            IfSet("condition", "condition"),
            IfSet("fieldId", "field_id"),
            IfSet("negateCondition", "negate_condition"),
            IfSet("caseSensitive", "case_sensitive"),
        ]),
    },
    &Spec {
        name: "GovernArtifactFilterArchivedStatus",
        base: FILTER,
        doc: "`is_archived: true` includes archived artifacts; `false` leaves them out.",
        fixed: &[("filter_type", "archived")],
        params: &[p("is_archived", Ty::Bool, Required)],
        build: Some(&[
            Attr("type", "filter_type"),
            Attr("isArchived", "is_archived"),
        ]),
    },
];

/// The class named `name`.
pub fn find(name: &str) -> Option<&'static Spec> {
    ALL.iter().copied().find(|s| s.name == name)
}

/// The attribute names of a class: those its parent sets, then its parameters.
pub fn attributes(spec: &Spec) -> impl Iterator<Item = &'static str> + '_ {
    spec.fixed
        .iter()
        .map(|(n, _)| *n)
        .chain(spec.params.iter().map(|p| p.name))
}

impl Ty {
    /// The type's name in signatures.
    pub fn name(self) -> &'static str {
        match self {
            Ty::Any => "Dynamic",
            Ty::Str => "String",
            Ty::Bool => "bool",
            Ty::List => "Array",
            Ty::Derived(base) => base,
        }
    }
}
