//! A small, forgiving lexer for the input line: enough to colour it and to find the
//! expression before a `.` for completion. Unlike Rhai's own tokenizer it never fails
//! on half-typed input (an open string runs to the end of the line).

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or keyword.
    Ident,
    /// A string, backtick string or character literal (possibly unterminated).
    Str,
    /// A number.
    Num,
    /// A `//` or `/* */` comment.
    Comment,
    /// Any other single character (brackets, operators, `.`).
    Punct,
}

/// A token: its kind and byte range in the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
}

impl Token {
    /// Its text in `line`.
    pub fn text<'a>(&self, line: &'a str) -> &'a str {
        &line[self.start..self.end]
    }
}

/// Whether `c` can be part of an identifier.
pub fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits `line` into tokens; whitespace is skipped.
pub fn tokens(line: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let offset = |i: usize| chars.get(i).map_or(line.len(), |&(o, _)| o);
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let start = i;
        let kind = if c.is_whitespace() {
            i += 1;
            continue;
        } else if c == '/' && at(i + 1) == Some('/') {
            i = chars.len();
            Kind::Comment
        } else if c == '/' && at(i + 1) == Some('*') {
            i += 2;
            while i < chars.len() && !(at(i) == Some('*') && at(i + 1) == Some('/')) {
                i += 1;
            }
            i = (i + 2).min(chars.len());
            Kind::Comment
        } else if c == '"' || c == '`' || c == '\'' {
            i += 1;
            while let Some(d) = at(i) {
                i += 1;
                if d == '\\' && c != '`' {
                    i += 1;
                } else if d == c {
                    break;
                }
            }
            i = i.min(chars.len());
            Kind::Str
        } else if c.is_ascii_digit() {
            while at(i).is_some_and(|d| d.is_ascii_alphanumeric() || d == '_') {
                i += 1;
            }
            // A fraction, but not a range (`1..2`) or a method call on a number.
            if at(i) == Some('.') && at(i + 1).is_some_and(|d| d.is_ascii_digit()) {
                i += 1;
                while at(i).is_some_and(|d| d.is_ascii_alphanumeric() || d == '_') {
                    i += 1;
                }
            }
            Kind::Num
        } else if is_ident_char(c) {
            while at(i).is_some_and(is_ident_char) {
                i += 1;
            }
            Kind::Ident
        } else {
            i += 1;
            Kind::Punct
        };
        out.push(Token {
            kind,
            start: offset(start),
            end: offset(i),
        });
    }
    out
}

/// Rhai's keywords (and the reserved functions that read like them).
pub const KEYWORDS: &[&str] = &[
    "let",
    "const",
    "if",
    "else",
    "switch",
    "do",
    "while",
    "until",
    "loop",
    "for",
    "in",
    "break",
    "continue",
    "return",
    "throw",
    "try",
    "catch",
    "fn",
    "private",
    "import",
    "export",
    "as",
    "true",
    "false",
    "this",
    "global",
    "Fn",
    "call",
    "curry",
    "type_of",
    "print",
    "debug",
    "is_def_var",
    "is_def_fn",
    "is_shared",
];

/// Whether `word` is a keyword (coloured as one).
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<(Kind, &str)> {
        tokens(line)
            .into_iter()
            .map(|t| (t.kind, t.text(line)))
            .collect()
    }

    #[test]
    fn strings_hide_their_dots_and_brackets() {
        let k = kinds(r#"client.get_artifact("a.(1\"").x"#);
        assert_eq!(k[3], (Kind::Punct, "("));
        assert_eq!(k[4], (Kind::Str, r#""a.(1\"""#));
        assert_eq!(k[5], (Kind::Punct, ")"));
    }

    #[test]
    fn unterminated_strings_and_ranges() {
        assert_eq!(kinds(r#"let s = "ab"#)[3], (Kind::Str, "\"ab"));
        let r = kinds("1..2");
        assert_eq!(r[0], (Kind::Num, "1"));
        assert_eq!(r[3], (Kind::Num, "2"));
        assert_eq!(kinds("1.5")[0], (Kind::Num, "1.5"));
    }
}
