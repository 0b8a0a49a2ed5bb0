// Package aims is the AI management system itself: it ties the domain
// packages (inventory, risk, impact, controls, governance) together over a
// folder of governance documents.
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
//		// each naming the file, the JSON pointer and what is wrong;
//		// folder is still usable (see "Scoped problems" below).
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
// # Scoped problems
//
// [Loader.Load] reports every problem of the folder in one error, so
// that validation fails on any of them, and it also returns the folder,
// in which each problem is scoped. [Snapshot.SystemProblems] returns the
// problems of one AI system's own documents: its inventory entry, its
// risk and impact assessments, its incidents, and a waiver granted for
// it (an invalid waiver, such as one of [CheckNotProhibited], is a problem
// of that waiver, and the rest of the policy stays in force).
// [Snapshot.SharedProblems] returns those of the documents every gate
// reads: the GatePolicy, the Statement of Applicability, the
// ManagementSystem, risk criteria and the management-system records, and
// of a file whose AI system cannot be told. A gate acts on the scope:
// [NewGate] refuses a folder with folder-wide problems; [Gate.Evaluate]
// denies a system with problems of its own with a failed
// [CheckDocumentsValid] result, which is recorded like any decision,
// refuses to decide for a system whose inventory entry did not load, and
// decides for every other system as usual. A broken document is one
// problem: references to an AI system whose inventory entry did not
// decode add none.
//
// Rules that depend on the life-cycle stage are gate checks, not load
// problems. An impact assessment of a system whose deployer owes an EU
// AI Act Art. 27 FRIA may lack it while the system is designed, and a
// high-risk system its Art. 14 human-oversight mechanism: Load notes them
// in [Snapshot.Notes] (aimskit validate prints them as notes), and the
// deployment gate's [CheckFRIA] and [CheckHumanOversight] deny until
// they are there. Once the system is deployed, they are problems of the
// system.
//
// A governance folder is often a pull request from someone else, so
// [Loader.Load] treats it as hostile input:
//
//   - It reads only regular files: a named pipe, device or socket named
//     like a document is skipped unread, with a note in [Snapshot.Notes].
//   - A symbolic link is followed only while it stays inside the folder; a
//     link that leaves it is a problem, "symbolic link leaves the folder",
//     and is not read. A link that stays inside is read under its own
//     name. File systems that cannot read links ([io/fs.ReadLinkFS]) have
//     their links refused.
//   - A .json file is read as JSON only, and a syntax error is reported
//     with its line and column; .yaml and .yml files are YAML.
//   - Decoding is bounded: a file may be at most
//     [LoaderOptions.MaxDocumentSize] bytes and hold at most a quarter as
//     many values (see [document.DecoderOptions]), and at most
//     [LoaderOptions.MaxBytesInFlight] bytes are decoded at once. A
//     document over a limit is a problem, not a crash.
//   - Problem positions are found in time linear in the size of the file.
//   - Problems quote at most a short, escaped excerpt of a document, and a
//     problem prints as one line, with a file name that is not plain
//     printable text quoted, so that neither content nor names can forge
//     output.
//   - A folder with no document is an error, [ErrNoDocuments].
//
// # Management-system records
//
// The records of the management system itself (ManagementSystem,
// AuditRecord, ManagementReview, Nonconformity) and Incident documents
// are types of package [github.com/aimskit/aimskit/governance]. A
// [Snapshot] holds them and checks them against the rest of the folder: the
// AI systems they name exist, and their ids are unique.
//
// # Gates
//
// A [Gate] guards the life-cycle transitions of the AI systems of a folder
// (A.6.2.4 verification and validation, A.6.2.5 deployment). Its
// [GatePolicy] (document kind "GatePolicy", or [DefaultPolicy]) lists the
// checks of each transition; [Gate.Evaluate] runs them and returns a
// [Decision] value: allow, warn or deny, with the result of every check
// tied to control and clause ids, the digests of the documents read, and
// the waivers used. A denial is a value; [Decision.Err] turns it into a
// [*DeniedError] for an application's release test. Applications add
// their own checks with [CheckFunc].
//
// A waived check has the outcome [OutcomeWaived] and does not deny; the
// not-prohibited check cannot be waived, and a prohibited system passes
// only the move to retirement (EU AI Act Art. 5). Every gate also runs
// the readiness rules of the system's assessments as a warning
// ([CheckAssessmentsCurrent]), so that a gate and [Snapshot.Readiness] do
// not disagree about one system on one day. A decision's Time is when it
// was made ([GateOptions.Clock]); the day the documents were judged on is
// its EvaluationTime ([GateOptions.EvaluationTime]).
//
// Gates and readiness read the EU AI Act classification that holds for a
// system ([inventory.System.Classified]): derived from its facts when it
// has them. [Readiness.Stated] lists the systems whose classification is
// stated, not derived.
//
// # Runtime
//
// In the request path, a [Guard] answers whether a system may serve from an
// atomically swapped snapshot (no lock, no I/O, no allocation), with
// [Guard.Middleware] for net/http; given the [Releases] of a verified
// evidence log ([ReadReleases], [GuardOptions]), it admits a system only
// on a recorded release decision. A [Recorder] records each consequential
// [ModelDecision] through a bounded asynchronous buffer
// ([evidence.Queue]) into an evidence sink; a [Monitor] suspends a system whose reported metrics cross their
// thresholds, and [Monitor.Resume] lifts it with an actor and a reason
// (A.6.2.6, A.6.2.8; EU AI Act Art. 12, 14, 26(5)).
//
// Hooks ([Hook]) observe gate decisions, stage changes, runtime decisions
// ([RecorderOptions.Hooks], on the caller's goroutine), suspensions,
// resumptions and incidents, each [Event] with its evidence record;
// [Guard.Refusals] and [Recorder.Stats] count what no event reports. The
// nested module github.com/aimskit/aimskit/aims/aimsotel turns them into
// OpenTelemetry span events and metrics (9.1).
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
// matches [document.ErrInvalid], scoped as [Snapshot.SystemProblems] and
// [Snapshot.SharedProblems] tell. Other errors (reading the file system,
// cancellation) are returned wrapped with %w.
//
// # Concurrency
//
// A [Loader] is immutable after [NewLoader] and safe for concurrent use;
// it decodes the files of a folder in parallel. A [Snapshot] belongs to the
// caller that loaded it.
//
// # Stability
//
// The package is at v0. Document kinds and their JSON names are versioned
// by apiVersion aimskit.dev/v1alpha1; error and log text may change.
package aims
