// Package governance models the records of the AI management system
// itself: the documents in which an organisation describes, audits,
// reviews and corrects its AIMS, and records its incidents. The types read
// as what they are: a [ManagementSystem], an [AuditRecord], a
// [ManagementReview], a [Nonconformity] and an [Incident].
//
// A [ManagementSystem] (document kind "ManagementSystem", one per
// organisation) holds the organisation's context, its ISO/IEC 22989 roles
// toward AI and whether climate change is relevant (clause 4.1), the
// interested parties and their requirements (4.2), the scope of the AIMS
// with its AI systems, boundaries and exclusions (4.3), the AI policy
// (5.2, A.2.2, A.2.4), roles, responsibilities and authorities (5.3,
// A.3.2), the AI risk criteria in force (6.1.1), measurable AI objectives
// (6.2) and planned changes (6.3).
//
// An [AuditRecord] is one internal audit with its scope, criteria, auditor
// independence and graded findings (9.2). A [ManagementReview] records the
// inputs considered and the decisions and actions taken (9.3.2, 9.3.3). A
// [Nonconformity] follows a nonconformity from detection through
// correction, root cause, corrective action and effectiveness review to
// closure (10.2); its [Nonconformity.Status] is derived from the record
// and [Nonconformity.Overdue] takes the current time as a parameter.
//
// An [Incident] records one incident with an AI system (A.8.4, 10.2) and
// computes its EU AI Act Art. 73 reporting deadline: [Incident.Deadline]
// and, given the current time, [Incident.Overdue].
//
// A folder of these documents is usually loaded by package aims, which
// checks them against the rest of the folder (that the AI systems they
// name exist, that ids are unique). This package checks each document on
// its own. It embeds the JSON Schema of each kind and describes them to a
// [document.Decoder] through [DocumentTypes]. It does no I/O and holds no
// mutable state.
//
// # ISO/IEC 42001 and EU AI Act anchors
//
// ISO/IEC 42001 clauses 4.1–4.3 (context, interested parties, scope), 5.2
// (AI policy), 5.3 (roles), 6.1.1 (risk criteria), 6.2 (AI objectives),
// 6.3 (planning of changes), 9.2 (internal audit), 9.3 (management
// review) and 10.2 (nonconformity and corrective action); Annex A
// controls A.2.2 and A.2.4 (AI policy), A.3.2 (roles and
// responsibilities) and A.8.4 (communication of incidents). EU AI Act
// Art. 73 (reporting of serious incidents), with the incident types of
// Art. 3(49).
//
// # Errors
//
// Validate methods return a [*document.Error] listing every problem with a
// JSON pointer relative to the document (e.g. /findings/0/grade); it
// matches [document.ErrInvalid]. Nothing in the package panics on bad
// input.
//
// # Concurrency
//
// Functions are pure and safe for concurrent use. The record types are
// plain values: share them read-only, or Clone them.
//
// # Stability
//
// The package is at v0. The JSON names of its document kinds are
// versioned by the apiVersion aimskit.dev/v1alpha1; Go names and error
// text may change before v1. The Art. 73 deadlines follow the project's
// reference notes on the EU AI Act and are not legal advice.
package governance
