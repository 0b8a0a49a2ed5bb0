// Package dirstore is a [store.Driver] that keeps governance documents as
// YAML files in a folder, the default store of aimskit. [Open] returns the
// [store.Store] in front of it; [OpenDriver] returns the [Driver] alone,
// for [store.New], which gives access to [Driver.Dir]. The folder is
// meant to live in the application's repository: people read and review
// the files, and a folder loader (package aims) reads them like any other
// governance folder.
//
// It serves ISO/IEC 42001 clause 7.5.3 (control of documented
// information): every document has one file, every write gives it a new
// revision and is recorded with its actor, time and reason in an
// append-only history, stale writes are refused, and a crash never leaves
// a document half-written.
//
// # Layout
//
// The folder is a governance folder as aimskit init scaffolds it and
// aimskit validate and gate read it: one document per file, YAML or JSON,
// under any name and in any sub-folder. [Open] walks the whole folder. A
// file is a document if it is an aimskit document (an "apiVersion" that
// starts with "aimskit.dev/" and a "kind") or if the store wrote it; other
// YAML and JSON files, and every file or folder whose name starts with a
// dot, are left alone, as the folder loader leaves them. The id of a
// document is its "id" member, or else its "name", or else its file name
// without the extension, the first that is a valid id; two files that
// hold the same kind and id make [Open] fail with a [*DuplicateError]
// that names both.
//
// For a store opened on folder dir:
//
//	dir/ai-system-credit-scoring.yaml                  a document, wherever its author put it
//	dir/aisystem/fraud.yaml                            a document created through the store
//	dir/.aimskit/history/aisystem/credit-scoring.jsonl its history, one JSON change per line
//	dir/.aimskit/lock                                 held while a store has the folder open
//
// A write keeps a document's file where it is and in its format; a new
// document gets the file of its id in the folder of its kind, in lower
// case. A YAML file the store writes starts with one comment line that
// records the revision, the exact kind and the id:
//
//	# aimskit: revision 3, kind AISystem, id credit-scoring
//	apiVersion: aimskit.dev/v1alpha1
//	kind: AISystem
//	...
//
// YAML loaders ignore the comment; a JSON file has none. The data of a
// document goes through YAML on the way in: [store.Store.Put] returns and
// records it as JSON read back from the YAML it wrote, so members come out
// sorted by name and numbers as YAML reads them. Comments of a file
// written by hand (such as the TODO placeholders of aimskit init) are not
// kept by a write. The history lives in the hidden ".aimskit" folder, one
// file per document whose lines are appended, so that a pull request
// shows each change as a reviewable diff and the folder loader, which
// skips hidden folders, never reads it.
//
// # Changes made outside the store
//
// A document file edited, added or removed by hand while the folder is
// closed (in a pull request, say) is a new revision: [Open] records it in
// the history, once, as a put or a delete by [OutsideActor], at the time
// of its [Options.Clock]. A file changed while the store has the folder
// open cannot be read until the folder is opened again (a
// [*CorruptError]). [Open] reads YAML with the strict reader of package
// document, as the folder loader does (no aliases, merge keys or repeated
// keys), follows no links, opens no FIFOs or devices, and skips files
// larger than [Options.MaxDocumentSize].
//
// Each line of a history file is a JSON object with the members "kind",
// "id", "revision", "op" ("put" or "delete"), "time", "actor", "reason",
// "digest" and, for a put, "data", the document as a JSON object. Keep the
// history with the documents (for example, commit it), but not the lock
// file.
//
// # Crash safety
//
// A write appends its history line and syncs it, then writes the new file
// under a temporary name, syncs it, renames it over the old file and syncs
// the folder; a delete appends its line and then removes the file. The
// content of the document file is what has been committed: the revision
// whose digest it has (the last one, or, after a crash, the one its
// comment line names), and history lines for later revisions are
// ignored; when a revision occurs more than once the last line counts. So
// after a crash at any point each document is either at its previous
// revision or at its new one, and its history agrees. A file of a JSON
// document, which has no comment line, counts as the revision before a
// last write that did not complete when it has that revision's content.
// [Open] removes leftover temporary files and an incomplete last history
// line.
//
// Only one store may have a folder open at a time, in any process: on
// Linux, macOS and the BSDs [Open] takes an flock(2) lock on the lock
// file, which the system releases when the process ends. On other systems
// the lock is the lock file's existence, which the store's Close removes;
// after a crash the file has to be removed by hand.
//
// # Errors
//
// Errors match the sentinels of package store ([store.ErrNotFound],
// [store.ErrConflict], [store.ErrInvalid], [store.ErrClosed]) with
// [errors.Is], or the context's error. [Open] returns a [*LockedError],
// matching [ErrLocked], when another store has the folder open, and a
// [*DuplicateError] when two files hold the same document. A document
// whose files cannot be read (a corrupt file or history, or a file
// changed while the folder is open) gives a [*CorruptError], matching
// [ErrCorrupt], that names the file; other documents stay usable. These
// types are in this package whichever constructor opened the folder:
// match them with [errors.As] on the errors of the [store.Store]. Errors from the file system
// are wrapped and can be examined with [errors.Is] and [errors.As].
//
// # Concurrency
//
// A [Driver] is safe for concurrent use by multiple goroutines: reads run in
// parallel, writes one at a time. It is the only writer of its folder while
// it is open; tools that only read the files (such as a folder loader) may
// run at any time, because every file is replaced by a rename.
//
// # Stability
//
// The package is at v0: names may still change before v1. The layout,
// the comment line and the members of history lines are a file format that
// later versions will keep reading.
package dirstore
