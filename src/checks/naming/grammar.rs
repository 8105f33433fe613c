//! The name grammars (GitHub logins, PR numbers, lower-case names) and small string helpers used to
//! suggest the nearest valid name.

use super::template::Hole;

/// The longest GitHub login.
pub const MAX_LOGIN: usize = 39;
/// The longest lower-case name (a Cloud Function name or Secret Manager id is at most 63).
pub const MAX_NAME: usize = 63;
/// Edit distances are computed on at most this many characters, so hostile names stay cheap.
const MAX_FUZZY: usize = 64;

/// Letters/digits separated by single hyphens, no leading or trailing hyphen.
fn hyphenated(s: &str, ok: impl Fn(u8) -> bool) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes().all(|b| b == b'-' || ok(b))
}

/// A GitHub login: 1 to 39 letters, digits and single inner hyphens.
pub fn is_github_login(s: &str) -> bool {
    s.len() <= MAX_LOGIN && hyphenated(s, |b| b.is_ascii_alphanumeric())
}

/// A PR number: a positive decimal without leading zeros (at most 10 digits).
pub fn is_pr_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 10 && !s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit())
}

/// A lower-case name: lower-case letters, digits and single inner hyphens, at most 63 characters.
pub fn is_name(s: &str) -> bool {
    s.len() <= MAX_NAME && hyphenated(s, |b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Whether `value` is valid for a placeholder other than `{deployment}`. Logins must also be lower
/// case here: deployment names become Cloud Function and Secret Manager names.
pub fn hole_ok(hole: Hole, value: &str) -> bool {
    match hole {
        Hole::Login => is_github_login(value) && !value.bytes().any(|b| b.is_ascii_uppercase()),
        Hole::Number => is_pr_number(value),
        Hole::Name => is_name(value),
        Hole::Deployment => false,
    }
}

/// Best effort repair of a placeholder value: lower case, `_`/`.`/spaces to `-`, other characters
/// dropped, runs of hyphens collapsed, leading zeros of numbers dropped. `None` when nothing valid
/// remains.
pub fn repair(hole: Hole, value: &str) -> Option<String> {
    let fixed = match hole {
        Hole::Number => {
            let digits: String = value
                .trim_start_matches(|c: char| !c.is_ascii_digit())
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.trim_start_matches('0').to_string()
        }
        _ => slugify(value),
    };
    hole_ok(hole, &fixed).then_some(fixed)
}

/// Lower case, separators (`_`, `.`, space, `-`) to single hyphens, other characters dropped.
pub fn slugify(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars().take(4 * MAX_NAME) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if matches!(c, '-' | '_' | '.' | ' ') && !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Levenshtein distance over characters, on at most the first 64 characters of each side.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(MAX_FUZZY).collect();
    let b: Vec<char> = b.chars().take(MAX_FUZZY).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins() {
        for ok in [
            "a",
            "cisaacstern",
            "andersy005",
            "a-b-c",
            &"x".repeat(39),
            "CIsaac",
        ] {
            assert!(is_github_login(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "a--b", "a_b", "a.b", &"x".repeat(40), "é"] {
            assert!(!is_github_login(bad), "{bad}");
        }
        assert!(!hole_ok(Hole::Login, "CIsaac"));
    }

    #[test]
    fn numbers_and_names() {
        assert!(is_pr_number("80") && is_pr_number("1"));
        for bad in ["", "0", "080", "8a", "12345678901"] {
            assert!(!is_pr_number(bad), "{bad}");
        }
        assert!(is_name("pangeo-ldeo-nsf-earthcube"));
        assert!(!is_name("Pangeo") && !is_name("a_b") && !is_name("a--b"));
    }

    #[test]
    fn repairs() {
        assert_eq!(repair(Hole::Number, "080").as_deref(), Some("80"));
        assert_eq!(repair(Hole::Number, "pr80").as_deref(), Some("80"));
        assert_eq!(repair(Hole::Number, "000"), None);
        assert_eq!(
            repair(Hole::Login, "CIsaac_Stern").as_deref(),
            Some("cisaac-stern")
        );
        assert_eq!(repair(Hole::Name, "--").as_deref(), None);
    }

    #[test]
    fn distances() {
        assert_eq!(distance("pangeo-forge-stagin", "pangeo-forge-staging"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        // Bounded: very long inputs are cut, never quadratic in their full length.
        let long = "a".repeat(100_000);
        assert_eq!(distance(&long, &long), 0);
    }
}
