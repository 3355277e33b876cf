//! Colours for the input line: keywords, strings, numbers and comments.
use super::display::ansi;
use super::lex::{self, Kind};

/// `line` with ANSI colours (the caller decides whether colour is on).
pub fn highlight(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 32);
    let mut last = 0;
    for token in lex::tokens(line) {
        let style = match token.kind {
            Kind::Ident if lex::is_keyword(token.text(line)) => ansi::MAGENTA,
            Kind::Str => ansi::GREEN,
            Kind::Num => ansi::YELLOW,
            Kind::Comment => ansi::DIM,
            _ => continue,
        };
        out.push_str(&line[last..token.start]);
        out.push_str(style);
        out.push_str(token.text(line));
        out.push_str(ansi::RESET);
        last = token.end;
    }
    out.push_str(&line[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_strings_and_numbers_are_coloured() {
        let h = highlight(r#"let x = f("a", 12); // c"#);
        assert!(h.starts_with("\x1b[35mlet\x1b[0m x = f("), "{h:?}");
        assert!(h.contains("\x1b[32m\"a\"\x1b[0m"), "{h:?}");
        assert!(h.contains("\x1b[33m12\x1b[0m"), "{h:?}");
        assert!(h.ends_with("\x1b[90m// c\x1b[0m"), "{h:?}");
    }
}
