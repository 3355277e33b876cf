//! The expression before a `.`, read backwards into a chain of steps
//! (`client.get_artifact("ar.1").get_definition()` is a variable, then two calls) so
//! that completion can follow declared return types instead of running anything.
use super::lex::{Kind, Token, tokens};

/// Where a chain starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// A variable.
    Var(String),
    /// A call of a global function (`govern()`).
    Call(String),
    /// A string literal.
    Str,
    /// A number literal.
    Num,
    /// An array literal.
    Array,
    /// An object map literal.
    Map,
}

/// One step after the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `.name(...)`.
    Method(String),
    /// `.name`.
    Prop(String),
    /// `[...]`.
    Index,
}

/// A receiver expression: its root, then its steps in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// The start.
    pub root: Root,
    /// What follows it.
    pub steps: Vec<Step>,
}

/// The index of the opening bracket matching the closing one at `close`.
fn opening(toks: &[Token], line: &str, close: usize) -> Option<usize> {
    let (open, shut) = match toks[close].text(line) {
        ")" => ("(", ")"),
        "]" => ("[", "]"),
        "}" => ("{", "}"),
        _ => return None,
    };
    let mut depth = 0usize;
    for i in (0..=close).rev() {
        if toks[i].kind != Kind::Punct {
            continue;
        }
        let t = toks[i].text(line);
        if t == shut {
            depth += 1;
        } else if t == open {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Parses the receiver that ends at the end of `text` (which excludes the final `.`).
/// `None` when it is not a chain that can be typed without evaluation.
pub fn parse(text: &str) -> Option<Chain> {
    let toks: Vec<Token> = tokens(text)
        .into_iter()
        .filter(|t| t.kind != Kind::Comment)
        .collect();
    let is = |i: usize, s: &str| {
        toks.get(i)
            .is_some_and(|t| t.kind == Kind::Punct && t.text(text) == s)
    };
    let mut steps = Vec::new();
    let mut end = toks.len();
    loop {
        let last = end.checked_sub(1)?;
        let tok = toks[last];
        // Either the chain's root (done) or where the rest of it ends.
        let next: Result<Root, usize> = match (tok.kind, tok.text(text)) {
            (Kind::Punct, ")") => {
                let open = opening(&toks, text, last)?;
                let name_at = open.checked_sub(1)?;
                if toks[name_at].kind != Kind::Ident {
                    return None;
                }
                let name = toks[name_at].text(text).to_string();
                if name_at > 0 && is(name_at - 1, ".") {
                    steps.push(Step::Method(name));
                    Err(name_at - 1)
                } else {
                    Ok(Root::Call(name))
                }
            }
            (Kind::Punct, "]") => {
                let open = opening(&toks, text, last)?;
                match open.checked_sub(1).map(|i| toks[i]) {
                    Some(p) if p.kind == Kind::Ident || matches!(p.text(text), ")" | "]") => {
                        steps.push(Step::Index);
                        Err(open)
                    }
                    _ => Ok(Root::Array),
                }
            }
            (Kind::Punct, "}") => {
                let open = opening(&toks, text, last)?;
                open.checked_sub(1).filter(|&i| is(i, "#"))?;
                Ok(Root::Map)
            }
            (Kind::Ident, name) => {
                if last > 0 && is(last - 1, ".") {
                    steps.push(Step::Prop(name.to_string()));
                    Err(last - 1)
                } else {
                    Ok(Root::Var(name.to_string()))
                }
            }
            (Kind::Str, _) => Ok(Root::Str),
            (Kind::Num, _) => Ok(Root::Num),
            _ => return None,
        };
        match next {
            Ok(root) => {
                steps.reverse();
                return Some(Chain { root, steps });
            }
            Err(rest) => end = rest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(s: &str) -> Step {
        Step::Method(s.into())
    }

    #[test]
    fn reads_chained_calls_with_dots_inside_strings() {
        let c = parse(r#"let d = client.get_artifact("ar.1").get_definition()"#).unwrap();
        assert_eq!(c.root, Root::Var("client".into()));
        assert_eq!(
            c.steps,
            vec![method("get_artifact"), method("get_definition")]
        );
    }

    #[test]
    fn global_calls_props_indexes_and_literals() {
        let c = parse("govern().get_artifact(x(1, [2])).raw[0]").unwrap();
        assert_eq!(c.root, Root::Call("govern".into()));
        assert_eq!(
            c.steps,
            vec![
                method("get_artifact"),
                Step::Prop("raw".into()),
                Step::Index
            ]
        );
        assert_eq!(parse(r#"  "abc""#).unwrap().root, Root::Str);
        assert_eq!(parse("#{a: 1}").unwrap().root, Root::Map);
        assert_eq!(parse("[1, 2]").unwrap().root, Root::Array);
        assert!(parse("(1 + 2)").is_none());
        assert!(parse("").is_none());
    }
}
