//! File-name templates: literal text with at most one placeholder, e.g. `config.{deployment}.yaml` or
//! `pforge-pr-{number}`. Templates are how the naming rules are written in the project config.

use std::fmt;

/// What a placeholder stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Hole {
    /// A deployment name (one of the configured deployments).
    Deployment,
    /// A GitHub login: 1 to 39 letters, digits and single inner hyphens.
    Login,
    /// A positive number without leading zeros (a PR number).
    Number,
    /// A lower-case name: letters, digits and single inner hyphens.
    Name,
}

impl Hole {
    /// The placeholder as written in a template (`{login}`).
    pub fn placeholder(self) -> &'static str {
        match self {
            Hole::Deployment => "{deployment}",
            Hole::Login => "{login}",
            Hole::Number => "{number}",
            Hole::Name => "{name}",
        }
    }

    /// How the placeholder reads in a message to a person (`<GitHub login>`).
    pub fn human(self) -> &'static str {
        match self {
            Hole::Deployment => "<deployment>",
            Hole::Login => "<GitHub login>",
            Hole::Number => "<PR number>",
            Hole::Name => "<name>",
        }
    }

    fn parse(word: &str) -> Option<Hole> {
        match word {
            "deployment" => Some(Hole::Deployment),
            "login" => Some(Hole::Login),
            "number" => Some(Hole::Number),
            "name" => Some(Hole::Name),
            _ => None,
        }
    }
}

/// A parsed template: `prefix`, an optional placeholder, `suffix`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Template {
    source: String,
    prefix: String,
    hole: Option<Hole>,
    suffix: String,
}

impl Template {
    /// Parse a template; the error says what is wrong in words.
    pub fn parse(source: &str) -> Result<Template, String> {
        let mut prefix = String::new();
        let mut suffix = String::new();
        let mut hole = None;
        let mut rest = source;
        while let Some(open) = rest.find(['{', '}']) {
            let (before, at) = rest.split_at(open);
            if at.starts_with('}') {
                return Err(format!("`{source}`: `}}` without a matching `{{`"));
            }
            let Some(close) = at.find('}') else {
                return Err(format!("`{source}`: `{{` without a matching `}}`"));
            };
            let word = at.get(1..close).unwrap_or_default();
            let Some(h) = Hole::parse(word) else {
                return Err(format!(
                    "`{source}`: unknown placeholder `{{{word}}}` (use {{deployment}}, {{login}}, {{number}} or {{name}})"
                ));
            };
            if hole.is_some() {
                return Err(format!(
                    "`{source}`: a template takes at most one placeholder"
                ));
            }
            prefix.push_str(before);
            hole = Some(h);
            rest = at.get(close + 1..).unwrap_or_default();
        }
        if hole.is_some() {
            suffix.push_str(rest);
        } else {
            prefix.push_str(rest);
        }
        if source.is_empty() {
            return Err("an empty template matches nothing".to_string());
        }
        if source.contains('/') {
            return Err(format!(
                "`{source}`: a template is a file name and cannot contain `/`"
            ));
        }
        Ok(Template {
            source: source.to_string(),
            prefix,
            hole,
            suffix,
        })
    }

    /// A template without placeholder that matches exactly `text`.
    pub fn literal(text: &str) -> Template {
        Template {
            source: text.to_string(),
            prefix: text.to_string(),
            hole: None,
            suffix: String::new(),
        }
    }

    /// The template text as configured.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The literal text before the placeholder (the whole template when it has none).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The literal text after the placeholder.
    pub fn suffix(&self) -> &str {
        &self.suffix
    }

    /// The placeholder, if any.
    pub fn hole(&self) -> Option<Hole> {
        self.hole
    }

    /// Match `text` exactly: `Some(value of the placeholder)` (empty when the template has none).
    pub fn match_exact<'t>(&self, text: &'t str) -> Option<&'t str> {
        match self.hole {
            None => (text == self.prefix).then_some(""),
            Some(_) => {
                let inner = text.strip_prefix(self.prefix.as_str())?;
                let value = inner.strip_suffix(self.suffix.as_str())?;
                (!value.is_empty()).then_some(value)
            }
        }
    }

    /// The template with its placeholder filled.
    pub fn fill(&self, value: &str) -> String {
        match self.hole {
            None => self.prefix.clone(),
            Some(_) => format!("{}{}{}", self.prefix, value, self.suffix),
        }
    }

    /// The template as a person reads it: `config.<deployment>.yaml`.
    pub fn human(&self) -> String {
        match self.hole {
            None => self.prefix.clone(),
            Some(h) => self.fill(h.human()),
        }
    }
}

impl TryFrom<String> for Template {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Template::parse(&s)
    }
}

impl From<Template> for String {
    fn from(t: Template) -> String {
        t.source
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches() {
        let t = Template::parse("config.{deployment}.yaml").unwrap();
        assert_eq!(t.hole(), Some(Hole::Deployment));
        assert_eq!(
            t.match_exact("config.pangeo-forge.yaml"),
            Some("pangeo-forge")
        );
        assert_eq!(t.match_exact("config..yaml"), None);
        assert_eq!(t.match_exact("config.x.yml"), None);
        assert_eq!(t.human(), "config.<deployment>.yaml");
        let fixed = Template::parse("pangeo-forge").unwrap();
        assert_eq!(fixed.match_exact("pangeo-forge"), Some(""));
        assert_eq!(fixed.match_exact("pangeo-forge-staging"), None);
    }

    #[test]
    fn rejects_bad_templates() {
        assert!(Template::parse("a{x}b").is_err());
        assert!(Template::parse("a{name}{number}").is_err());
        assert!(Template::parse("a{name").is_err());
        assert!(Template::parse("a}").is_err());
        assert!(Template::parse("").is_err());
        assert!(Template::parse("dir/{name}").is_err());
    }
}
