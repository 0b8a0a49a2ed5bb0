// Package report renders a governance folder ([aims.Snapshot]) as a report
// for people: one self-contained HTML page that an auditor, a risk owner
// or a management review (ISO/IEC 42001 9.3) can open in any browser,
// attach to a ticket or archive as documented information (7.5).
//
// [WriteHTML] writes the AI system inventory with each system's EU AI Act
// classification, life-cycle stage and status and derived obligations;
// for each AI system the reasoning behind its classification (derived
// from its facts, or stated, not derived), every rule considered with
// its article and why it applies or not, and its obligations with their
// dates ([inventory.System.Explain]); for each AI system with a risk
// assessment, an inherent and a residual
// risk heat map on the likelihood × consequence grid of the criteria the
// assessment pins (6.1.1, 6.1.2), coloured by the levels of its risk
// matrix, with the count of risks per cell; the Statement of
// Applicability (6.1.3 f); and the audit readiness of the folder with
// every gap ([aims.Snapshot.Readiness]).
//
// [WriteSoAMarkdown] and [WriteSoACSV] write a Statement of Applicability
// (6.1.3 f) on its own, as a Markdown document an auditor can read as is
// and as CSV for a spreadsheet, one row per control in catalogue order with
// its applicability, justification ([controls.Justification.String]),
// implementation status, owner and evidence.
//
// The page needs nothing else: style is inline, heat maps are inline SVG,
// there are no scripts and no references to other files or sites, and all
// text from the documents is escaped. The same folder and day always give
// the same bytes, so a report can be committed and diffed.
//
// # Errors
//
// [WriteSoAMarkdown] and [WriteSoACSV] return the error of the first
// failed write to their [io.Writer]. [WriteHTML] returns [ErrNoFolder] for a nil folder, wraps the error of
// [risk.Evaluate] when a risk assessment cannot be evaluated, and returns
// the error of writing to its [io.Writer] unchanged.
//
// # Concurrency
//
// [WriteHTML] only reads the folder, and [WriteSoAMarkdown] and
// [WriteSoACSV] the statement; several reports of one folder may be
// written at once, provided nothing modifies it meanwhile.
//
// # Stability
//
// The package is at v0. The data-kind, data-likelihood,
// data-consequence, data-level and data-count attributes of heat-map
// cells are meant for tools and tests and will be kept; the layout and
// wording of the page may change.
package report
