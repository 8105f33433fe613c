//! The engine: runs checks over sources, in parallel, and gathers the outcome.

use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::checks::Check;
use crate::context::Context;
use crate::document::Document;
use crate::finding::Finding;
use crate::source::Candidate;
use crate::source::files::{self, Input};

/// What a run produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every finding, sorted by path and position.
    pub findings: Vec<Finding>,
    /// Inputs that could not be read (each one makes the run exit 2: fail closed).
    pub errors: Vec<String>,
    /// How many documents were checked.
    pub checked: usize,
}

impl Outcome {
    /// Sort the findings into a stable order and drop exact duplicates.
    pub fn finish(&mut self) {
        self.findings.sort_by(|a, b| {
            a.sort_key()
                .cmp(&b.sort_key())
                .then_with(|| a.message.cmp(&b.message))
        });
        self.findings.dedup();
        self.errors.sort();
    }
}

/// A set of checks bound to a context.
pub struct Engine<'a> {
    checks: Vec<Box<dyn Check>>,
    ctx: &'a Context,
}

impl<'a> Engine<'a> {
    /// An engine that runs `checks` with `ctx`.
    pub fn new(checks: Vec<Box<dyn Check>>, ctx: &'a Context) -> Self {
        Engine { checks, ctx }
    }

    /// The context.
    pub fn context(&self) -> &Context {
        self.ctx
    }

    /// Whether any check wants this candidate.
    pub fn wants(&self, candidate: &Candidate) -> bool {
        self.checks.iter().any(|c| c.wants(candidate, self.ctx))
    }

    /// Run every check that wants it on one document.
    pub fn check_document(&self, doc: &Document) -> Vec<Finding> {
        let candidate = Candidate {
            path: doc.path.clone(),
            rel_path: doc.rel_path.clone(),
            selection: doc.selection,
        };
        let mut out = Vec::new();
        for check in &self.checks {
            if check.wants(&candidate, self.ctx) {
                check.check(doc, self.ctx, &mut out);
            }
        }
        if let Some(commit) = doc.commit() {
            for f in &mut out {
                if f.commit.is_none() {
                    f.commit = Some(commit.to_string());
                }
            }
        }
        out
    }

    /// Run the cross-file checks on every path of the run.
    pub fn check_paths(&self, paths: &[&str]) -> Vec<Finding> {
        let mut out = Vec::new();
        for check in &self.checks {
            check.check_paths(paths, self.ctx, &mut out);
        }
        out
    }

    /// Check documents already in memory (git modes), in parallel.
    pub fn run_documents(&self, docs: Vec<Document>) -> Outcome {
        let findings: Vec<Finding> = docs
            .par_iter()
            .flat_map_iter(|d| self.check_document(d))
            .collect();
        let paths: Vec<&str> = docs.iter().map(|d| d.path.as_str()).collect();
        let mut outcome = Outcome {
            findings,
            errors: Vec::new(),
            checked: docs.len(),
        };
        outcome.findings.extend(self.check_paths(&paths));
        outcome.finish();
        outcome
    }

    /// Walk files and directories and check every file some check wants, in parallel.
    pub fn run_paths(&self, inputs: &[PathBuf]) -> Outcome {
        let max = self.ctx.config.limits.max_file_size;
        let state = Mutex::new((Outcome::default(), Vec::<String>::new()));
        files::walk(inputs, &self.ctx.root, |input| {
            let (findings, error, path, checked) = match input {
                Input::Error(e) => (Vec::new(), Some(e), None, false),
                Input::File(cand, os_path) => {
                    if !self.wants(&cand) {
                        (Vec::new(), None, Some(cand.path), false)
                    } else {
                        match read_bounded(&os_path, max) {
                            Ok(bytes) => {
                                let doc = Document::new(
                                    cand.path.clone(),
                                    cand.rel_path,
                                    bytes,
                                    crate::document::Origin::WorkTree,
                                    cand.selection,
                                );
                                (self.check_document(&doc), None, Some(cand.path), true)
                            }
                            Err(ReadError::TooLarge(size)) => (
                                vec![too_large(&cand.path, size, max)],
                                None,
                                Some(cand.path),
                                true,
                            ),
                            Err(ReadError::Io(e)) => (
                                Vec::new(),
                                Some(format!("{}: {e}", cand.path)),
                                Some(cand.path),
                                false,
                            ),
                        }
                    }
                }
            };
            if let Ok(mut guard) = state.lock() {
                let (outcome, paths) = &mut *guard;
                outcome.findings.extend(findings);
                outcome.errors.extend(error);
                if checked {
                    outcome.checked += 1;
                }
                paths.extend(path);
            }
        });
        let (mut outcome, mut paths) = state
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        paths.sort();
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        outcome.findings.extend(self.check_paths(&refs));
        outcome.finish();
        outcome
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Larger than the configured limit (its size).
    TooLarge(u64),
    /// The OS refused.
    Io(std::io::Error),
}

/// Read a file, refusing (without reading) anything larger than `max` bytes.
pub fn read_bounded(path: &std::path::Path, max: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let len = file.metadata().map_err(ReadError::Io)?.len();
    if len > max {
        return Err(ReadError::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // `take` guards against a file that grows while it is read.
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The finding for content too large to check (fail closed).
pub fn too_large(path: &str, size: u64, max: u64) -> Finding {
    Finding::new(
        path,
        "pforge-hooks",
        "too-large",
        format!("{size} bytes is over the limit of {max} bytes: it was not checked"),
    )
    .hint(
        "raise [limits] max-file-size in .pforge-hooks.toml if this file is meant to be committed",
    )
}
