//! A small YAML -> JSON value loader for user schema files (YAML 1.2 core schema scalars; no aliases).

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Number, Value};

const MAX_DEPTH: usize = 128;

/// Parse a YAML text (one document) into a JSON value. The error names the line.
pub fn parse(text: &str) -> Result<Value, String> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<(Value, Option<String>)> = Vec::new();
    let mut root = None;
    while let Some(ev) = parser.next_event() {
        let (ev, span) = ev.map_err(|e| format!("YAML syntax error: {e}"))?;
        let line = span.start.line();
        let value = match ev {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!(
                        "line {line}: nested deeper than {MAX_DEPTH} levels"
                    ));
                }
                let v = if matches!(ev, Event::MappingStart(..)) {
                    Value::Object(Map::new())
                } else {
                    Value::Array(Vec::new())
                };
                stack.push((v, None));
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => match stack.pop() {
                Some((v, _)) => v,
                None => return Err(format!("line {line}: unbalanced YAML")),
            },
            Event::Scalar(text, style, _, tag) => scalar(&text, style, tag.is_some()),
            Event::Alias(_) => {
                return Err(format!(
                    "line {line}: YAML aliases are not supported in schema files"
                ));
            }
            Event::DocumentStart(_) if root.is_some() => {
                return Err(format!(
                    "line {line}: a schema file holds one YAML document"
                ));
            }
            _ => continue,
        };
        match stack.last_mut() {
            None => root = Some(value),
            Some((Value::Array(items), _)) => items.push(value),
            Some((Value::Object(map), pending)) => match pending.take() {
                None => match value {
                    Value::String(k) => *pending = Some(k),
                    other => *pending = Some(other.to_string()),
                },
                Some(k) => {
                    map.insert(k, value);
                }
            },
            Some(_) => return Err(format!("line {line}: unexpected YAML structure")),
        }
    }
    Ok(root.unwrap_or(Value::Null))
}

fn scalar(text: &str, style: ScalarStyle, tagged: bool) -> Value {
    if style != ScalarStyle::Plain || tagged {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Ok(i) = text.parse::<i64>() {
        return Value::Number(i.into());
    }
    if text.bytes().any(|b| b.is_ascii_digit())
        && let Ok(f) = text.parse::<f64>()
        && let Some(n) = Number::from_f64(f)
    {
        return Value::Number(n);
    }
    Value::String(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_a_schema() {
        let v = parse("type: object\nrequired: [a, b]\nproperties:\n  a: {type: integer, minimum: 1}\n  b: {const: '1'}\n").unwrap();
        assert_eq!(v["required"][1], "b");
        assert_eq!(v["properties"]["a"]["minimum"], 1);
        assert_eq!(v["properties"]["b"]["const"], "1");
        assert!(parse("a: &x 1\nb: *x\n").is_err());
        assert!(parse("a: [").is_err());
        let deep = "[".repeat(1000);
        assert!(parse(&deep).is_err());
    }
}
