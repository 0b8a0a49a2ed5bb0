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
// For a store opened on folder dir:
//
//	dir/aisystem/credit-scoring.yaml                  the current revision of AISystem "credit-scoring"
//	dir/.aimskit/history/aisystem/credit-scoring.jsonl its history, one JSON change per line
//	dir/.aimskit/lock                                 held while a Store has the folder open
//
// The folder of a kind is the kind in lower case. A document file is the
// document as YAML, preceded by one comment line that records the
// revision and the exact kind:
//
//	# aimskit: revision 3, kind AISystem
//	apiVersion: aimskit.dev/v1alpha1
//	kind: AISystem
//	id: credit-scoring
//	...
//
// YAML loaders ignore the comment. The data of a document goes through
// YAML on the way in: [store.Store.Put] returns and records it as JSON read back
// from the YAML it wrote, so members come out sorted by name and numbers
// as YAML reads them. Files whose names start with a dot, such as the
// ".aimskit" folder and temporary files, are not documents; a folder
// loader that skips dot files and folders sees only the documents.
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
// revision in the document file is what has been committed: history lines
// for later revisions are ignored, and when a revision occurs more than
// once the last line counts. So after a crash at any point each document
// is either at its previous revision or at its new one, and its history
// agrees. [Open] removes leftover temporary files and an incomplete last
// history line.
//
// Only one store may have a folder open at a time, in any process: on
// Linux, macOS and the BSDs [Open] takes an flock(2) lock on the lock
// file, which the system releases when the process ends. On other systems
// the lock is the lock file's existence, which the store's Close removes; after
// a crash the file has to be removed by hand.
//
// # Errors
//
// Errors match the sentinels of package store ([store.ErrNotFound],
// [store.ErrConflict], [store.ErrInvalid], [store.ErrClosed]) with
// [errors.Is], or the context's error. [Open] returns a [*LockedError],
// matching [ErrLocked], when another Store has the folder open. A document
// whose files cannot be read as the store wrote them (a corrupt or
// hand-edited file) gives a [*CorruptError], matching [ErrCorrupt], that
// names the file; other documents stay usable. Errors from the file system
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
