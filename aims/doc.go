// Package aims is the AI management system itself: it ties the domain
// packages (inventory, risk, impact, controls) together over a folder of
// governance documents.
//
// Governance is kept as code: YAML or JSON documents in a folder of the
// application's repository, reviewed in pull requests. A [Loader] reads
// such a folder from any [io/fs.FS], so an [embed.FS] compiled into the
// application works as well as [os.DirFS]:
//
//	//go:embed governance
//	var governance embed.FS
//
//	sub, _ := fs.Sub(governance, "governance")
//	folder, err := aims.Load(ctx, sub)
//	if err != nil {
//		// err is a *document.Error listing every problem in every file,
//		// each naming the file, the JSON pointer and what is wrong.
//	}
//	for _, sys := range folder.Systems {
//		fmt.Println(sys.Name, sys.Obligations().HighRisk)
//	}
//
// Each document is decoded strictly: its JSON Schema (see [Schema] and
// [DocumentTypes]) rejects unknown fields, wrong types and enum values;
// then the kind's own semantic checks run; then [Loader.Load] checks the
// documents against each other (duplicate ids, references to documents
// that do not exist). Documents at rest or managed at run time live in a
// store: see package [github.com/aimskit/aimskit/aims/store].
//
// # ISO/IEC 42001 anchors
//
// Clause 4.3 (scope: the inventory of AI systems in scope), 7.5
// (documented information: identified, in a known format, reviewed,
// controlled), 8.1 (operational planning and control).
//
// # Errors
//
// Problems with documents are reported as one [*document.Error] that
// matches [document.ErrInvalid]. Other errors (reading the file system,
// cancellation) are returned wrapped with %w.
//
// # Concurrency
//
// A [Loader] is immutable after [NewLoader] and safe for concurrent use;
// it decodes the files of a folder in parallel. A [Folder] belongs to the
// caller that loaded it.
//
// # Stability
//
// The package is at v0. Document kinds and their JSON names are versioned
// by apiVersion aimskit.dev/v1alpha1; error and log text may change.
package aims
