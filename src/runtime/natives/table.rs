//! Terminal tables for scripts: `table(rows)` renders an array of maps (or of arrays)
//! with comfy-table, `print_table(rows)` prints it.
use crate::bindings::bridge::{RhaiResult, local_error};
use crate::bindings::convert::to_json;
use crate::bindings::def::def;
use crate::bindings::register::Register;
use comfy_table::{Cell, CellAlignment, Table, presets};
use rhai::{Array, Dynamic, ImmutableString, Map, NativeCallContext};

/// The text of one cell: strings as they are, `()` empty, numbers and booleans as
/// written, other values through their `to_string` (dates, handles), maps and arrays
/// as JSON.
fn cell_text(ctx: &NativeCallContext, value: &Dynamic) -> String {
    if value.is_unit() {
        return String::new();
    }
    if let Some(s) = value.read_lock::<ImmutableString>() {
        return s.to_string();
    }
    if value.is_int() || value.is_float() || value.is_bool() || value.is_char() {
        return value.to_string();
    }
    if value.is_map() || value.is_array() {
        return to_json(value).map_or_else(|_| value.to_string(), |j| j.to_string());
    }
    ctx.call_native_fn::<ImmutableString>("to_string", (value.clone(),))
        .map_or_else(|_| value.to_string(), |s| s.to_string())
}

/// The columns: those given, else the keys of the map rows in first-seen order (a
/// map's own keys come sorted).
fn columns_of(rows: &Array, given: Option<&Array>) -> RhaiResult<Vec<String>> {
    if let Some(given) = given {
        return given
            .iter()
            .enumerate()
            .map(|(i, c)| {
                c.read_lock::<ImmutableString>()
                    .map(|s| s.to_string())
                    .ok_or_else(|| {
                        local_error(
                            "table",
                            format!("column {} is a {}, expected a string", i + 1, c.type_name()),
                        )
                    })
            })
            .collect();
    }
    let mut columns: Vec<String> = Vec::new();
    for row in rows {
        if let Some(map) = row.read_lock::<Map>() {
            for key in map.keys() {
                if !columns.iter().any(|c| c == key.as_str()) {
                    columns.push(key.to_string());
                }
            }
        }
    }
    Ok(columns)
}

/// Renders `rows` (maps, or arrays of cells in column order) under `columns`.
fn render(ctx: &NativeCallContext, rows: &Array, columns: Option<&Array>) -> RhaiResult<String> {
    let columns = columns_of(rows, columns)?;
    if columns.is_empty() && rows.is_empty() {
        return Ok(String::new());
    }
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    if !columns.is_empty() {
        table.set_header(columns.iter().map(Cell::new));
    }
    for (i, row) in rows.iter().enumerate() {
        let values: Vec<Dynamic> = if let Some(map) = row.read_lock::<Map>() {
            columns
                .iter()
                .map(|c| map.get(c.as_str()).cloned().unwrap_or(Dynamic::UNIT))
                .collect()
        } else if let Some(cells) = row.read_lock::<Array>() {
            cells.to_vec()
        } else {
            return Err(local_error(
                "table",
                format!(
                    "row {} is a {}, expected a map (or an array of cells)",
                    i + 1,
                    row.type_name()
                ),
            ));
        };
        table.add_row(values.iter().map(|v| {
            let cell = Cell::new(cell_text(ctx, v));
            if v.is_int() || v.is_float() {
                cell.set_alignment(CellAlignment::Right)
            } else {
                cell
            }
        }));
    }
    Ok(table.to_string())
}

/// Registers `table` and `print_table`.
pub fn register(engine: &mut impl Register) {
    def(
        engine,
        "table",
        &["rows: Array", "String"],
        "The rows (maps) as a text table, one column per key in first-seen order (each \
         map's keys sorted); no rows: an empty string.\n\
         ```rhai\n\
         print(table([#{ id: \"ar.1\", status: \"APPROVED\" }, #{ id: \"ar.2\", status: \"NOT_STARTED\" }]));\n\
         ```",
        |ctx: NativeCallContext, rows: Array| render(&ctx, &rows, None),
    );
    def(
        engine,
        "table",
        &["rows: Array", "columns: Array", "String"],
        "The rows as a text table with exactly these `columns`, in this order (a row \
         may also be an array of cells in column order).",
        |ctx: NativeCallContext, rows: Array, columns: Array| render(&ctx, &rows, Some(&columns)),
    );
    def(
        engine,
        "print_table",
        &["rows: Array", "()"],
        "Prints `table(rows)`.",
        |ctx: NativeCallContext, rows: Array| print(&ctx, render(&ctx, &rows, None)?),
    );
    def(
        engine,
        "print_table",
        &["rows: Array", "columns: Array", "()"],
        "Prints `table(rows, columns)`.",
        |ctx: NativeCallContext, rows: Array, columns: Array| {
            print(&ctx, render(&ctx, &rows, Some(&columns))?)
        },
    );
}

/// Prints through the engine's `print`, so the text goes where the mode sends output
/// (stdout, or a watched script's log) and is redacted as any print is.
fn print(ctx: &NativeCallContext, text: String) -> RhaiResult<()> {
    ctx.call_fn::<()>("print", (text,))
}
