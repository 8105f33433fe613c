//! Turns selected blobs into documents, in bounded batches, and hands them to the engine.
//!
//! Each (blob, path) pair is considered once, however many commits carry it. A blob no check wants
//! (decided from its path) is never read; a blob over the size limit is never read either and, when a
//! check wants it, is a `too-large` finding (fail closed). At most [`BATCH_BYTES`] of blob content
//! (plus one blob up to the limit) is held at a time, so a huge push runs in bounded memory.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::io::Write;
use std::time::Instant;

use git2::{Odb, Oid, Repository};
use rayon::prelude::*;

use super::Selected;
use crate::document::{Document, Origin, Selection};
use crate::engine::{Engine, Outcome, too_large};
use crate::source::Candidate;

/// Blob bytes gathered before a batch is checked.
pub const BATCH_BYTES: usize = 32 * 1024 * 1024;
/// Documents gathered before a batch is checked.
pub const BATCH_DOCS: usize = 1024;

/// Why a feed stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// The time budget ran out.
    Budget,
    /// Writing the `--list-blobs` listing failed.
    Io(String),
}

/// The consumer of selected blobs.
pub struct Feed<'a> {
    engine: &'a Engine<'a>,
    odb: Odb<'a>,
    repo: &'a Repository,
    limit: u64,
    seen: HashSet<(Oid, u64)>,
    hasher: RandomState,
    batch: Vec<Document>,
    batch_bytes: usize,
    outcome: Outcome,
    list: Option<Box<dyn Write + 'a>>,
    deadline: Option<Instant>,
    offered: usize,
}

impl<'a> Feed<'a> {
    /// A feed that checks with `engine`, reading blobs of `repo` up to `limit` bytes.
    pub fn new(engine: &'a Engine<'a>, repo: &'a Repository, limit: u64) -> Result<Self, String> {
        let odb = repo
            .odb()
            .map_err(|e| format!("cannot open the object database: {}", e.message()))?;
        Ok(Feed {
            engine,
            odb,
            repo,
            limit,
            seen: HashSet::new(),
            hasher: RandomState::new(),
            batch: Vec::new(),
            batch_bytes: 0,
            outcome: Outcome::default(),
            list: None,
            deadline: None,
            offered: 0,
        })
    }

    /// Instead of checking, write each distinct selected blob as `commit<TAB>oid<TAB>path` (`index`
    /// for the index) to `out`. A debugging and testing aid (`--list-blobs`).
    pub fn listing(mut self, out: Box<dyn Write + 'a>) -> Self {
        self.list = Some(out);
        self
    }

    /// Stop with [`Stop::Budget`] once `deadline` has passed.
    pub fn deadline(mut self, deadline: Option<Instant>) -> Self {
        self.deadline = deadline;
        self
    }

    /// Whether the time budget has run out.
    pub fn over_budget(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// How many distinct (blob, path) pairs were offered so far.
    pub fn distinct(&self) -> usize {
        self.offered
    }

    /// The repository the feed reads from.
    pub fn repo(&self) -> &'a Repository {
        self.repo
    }

    /// The engine the feed checks with.
    pub fn engine(&self) -> &'a Engine<'a> {
        self.engine
    }

    /// Offer one selected blob.
    pub fn offer(&mut self, sel: Selected) -> Result<(), Stop> {
        let key = (sel.oid, self.hasher.hash_one(sel.path.as_str()));
        if !self.seen.insert(key) {
            return Ok(());
        }
        self.offered += 1;
        if let Some(out) = self.list.as_mut() {
            let commit = sel.commit.as_deref().unwrap_or("index");
            return writeln!(out, "{commit}\t{}\t{}", sel.oid, sel.path)
                .map_err(|e| Stop::Io(e.to_string()));
        }
        let candidate = Candidate {
            path: sel.path.clone(),
            rel_path: sel.path.clone(),
            selection: Selection::Discovered,
        };
        if !self.engine.wants(&candidate) {
            return Ok(());
        }
        let origin = match &sel.commit {
            Some(c) => Origin::Commit(c.clone()),
            None => Origin::Index,
        };
        let size = match self.odb.read_header(sel.oid) {
            Ok((size, _)) => size as u64,
            Err(e) => {
                self.error(&sel, &e);
                return Ok(());
            }
        };
        if size > self.limit {
            let mut f = too_large(&sel.path, size, self.limit);
            f.commit = sel.commit.clone();
            self.outcome.findings.push(f);
            self.outcome.checked += 1;
            return Ok(());
        }
        let bytes = match self.repo.find_blob(sel.oid) {
            Ok(blob) => blob.content().to_vec(),
            Err(e) => {
                self.error(&sel, &e);
                return Ok(());
            }
        };
        self.batch_bytes += bytes.len();
        self.batch.push(Document::new(
            sel.path.clone(),
            sel.path,
            bytes,
            origin,
            Selection::Discovered,
        ));
        if self.batch_bytes >= BATCH_BYTES || self.batch.len() >= BATCH_DOCS {
            self.flush();
            if self.over_budget() {
                return Err(Stop::Budget);
            }
        }
        Ok(())
    }

    fn error(&mut self, sel: &Selected, e: &git2::Error) {
        let place = sel
            .commit
            .as_deref()
            .map(|c| format!(" (commit {c})"))
            .unwrap_or_default();
        self.outcome.errors.push(format!(
            "{}{place}: cannot read blob {}: {}",
            sel.path,
            sel.oid,
            e.message()
        ));
    }

    /// Check the documents gathered so far.
    pub fn flush(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        let engine = self.engine;
        let mut found: Vec<_> = batch
            .par_iter()
            .flat_map_iter(|d| engine.check_document(d))
            .collect();
        for f in &mut found {
            history_hint(f);
        }
        self.outcome.checked += batch.len();
        self.outcome.findings.extend(found);
    }

    /// Run the cross-file checks on the full path list of one recorded tree (the index, or a pushed
    /// tip); findings are attributed to `commit`.
    pub fn check_tree_paths(&mut self, paths: &[String], commit: Option<&str>) {
        if self.list.is_some() {
            return;
        }
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let mut found = self.engine.check_paths(&refs);
        for f in &mut found {
            if f.commit.is_none() {
                f.commit = commit.map(str::to_string);
            }
        }
        self.outcome.findings.extend(found);
    }

    /// Record an error that makes the run fail closed.
    pub fn push_error(&mut self, message: String) {
        self.outcome.errors.push(message);
    }

    /// Check what is left and return the outcome.
    pub fn finish(mut self) -> Result<Outcome, Stop> {
        self.flush();
        if let Some(out) = self.list.as_mut() {
            out.flush().map_err(|e| Stop::Io(e.to_string()))?;
        }
        let mut outcome = std::mem::take(&mut self.outcome);
        outcome.finish();
        Ok(outcome)
    }
}

/// A finding in a commit is not fixed by a later commit that deletes the content: say so.
fn history_hint(f: &mut crate::finding::Finding) {
    let Some(commit) = f.commit.as_deref() else {
        return;
    };
    if commit.len() < 40 || !commit.bytes().all(|b| b.is_ascii_hexdigit()) || !f.is_error() {
        return;
    }
    let short = commit.get(..12).unwrap_or(commit);
    let history = format!(
        "the content is in commit {short}: fix it there (`git rebase -i {short}^`), a later commit that deletes or fixes the file still pushes this one"
    );
    f.hint = Some(match f.hint.take() {
        Some(h) => format!("{h}; {history}"),
        None => history,
    });
}
