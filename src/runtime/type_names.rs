//! One spelling per type in what users read (signatures in errors, `.help`, editor
//! definitions): rhai writes the same type as `string`, `&str`, `ImmutableString` or
//! `String`, and `map` or `Map`; govscript always writes `String`, `Map`, `Array`.

/// The one spelling of a type name (`string` → `String`, `&mut Map` → `Map`).
pub fn canonical(name: &str) -> &str {
    let name = name.trim();
    let name = name.strip_prefix("&mut ").unwrap_or(name).trim();
    match name {
        "string" | "str" | "&str" | "ImmutableString" | "&str | ImmutableString | String" => {
            "String"
        }
        "map" => "Map",
        "array" => "Array",
        "blob" => "Blob",
        "i64" | "INT" => "int",
        "f64" | "FLOAT" => "float",
        other => other,
    }
}

/// `signature` with every type written in its one spelling; parameter names are left
/// alone (`fn f(map: map) -> string` → `fn f(map: Map) -> String`). Types are what
/// follows `:`, `->` or `<`, and, in an operator declaration (`op +(map, map)`), the
/// parenthesised list.
pub fn respell(signature: &str) -> String {
    let is_op = signature.trim_start().starts_with("op ");
    let mut out = String::with_capacity(signature.len());
    let mut rest = signature;
    let mut type_next = false;
    while let Some(c) = rest.chars().next() {
        if type_next && (c.is_alphanumeric() || c == '_' || c == '&') {
            let (ty, tail) = split_type(rest);
            out.push_str(canonical(ty));
            rest = tail;
            type_next = false;
            continue;
        }
        match c {
            ':' | '<' => type_next = true,
            '>' if out.ends_with('-') => type_next = true,
            '(' | ',' => type_next = is_op,
            ' ' => {}
            _ => type_next = false,
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The type at the start of `text` (with its `&mut `, or rhai's `&str | ... | String`)
/// and what follows it.
fn split_type(text: &str) -> (&str, &str) {
    const STRING_ARG: &str = "&str | ImmutableString | String";
    if text.starts_with(STRING_ARG) {
        return text.split_at(STRING_ARG.len());
    }
    let start = if text.starts_with("&mut ") { 5 } else { 0 };
    let end = text[start..]
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '&'))
        .map_or(text.len(), |i| start + i);
    text.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::respell;

    #[test]
    fn types_get_one_spelling_and_names_stay() {
        assert_eq!(
            respell("fn contains(map: map, string: string) -> string;"),
            "fn contains(map: Map, string: String) -> String;"
        );
        assert_eq!(respell("op +(map, map) -> map;"), "op +(Map, Map) -> Map;");
        assert_eq!(
            respell("to_debug(_: &mut GovernArtifact) -> ImmutableString"),
            "to_debug(_: GovernArtifact) -> String"
        );
        assert_eq!(
            respell("fn range(from: i64, to: i64) -> Range<i64>;"),
            "fn range(from: int, to: int) -> Range<int>;"
        );
        assert_eq!(
            respell("get (&str | ImmutableString | String, GovernArtifact)"),
            "get (&str | ImmutableString | String, GovernArtifact)"
        );
        assert_eq!(respell("fn print(data: ?);"), "fn print(data: ?);");
    }
}
