// Package aimskit makes an ISO/IEC 42001 AI management system (AIMS)
// executable inside the Go applications it governs.
//
// Governance is kept as code: an AI system inventory, risk and impact
// assessments and the Statement of Applicability are YAML or JSON
// documents in the application's repository, each with an apiVersion and
// a kind and a published JSON Schema. aimskit loads them strictly,
// checks them against each other, derives what follows from them (EU AI
// Act obligations, risk levels, readiness gaps), and lets applications and
// CI gate releases on them, recording each decision as signed,
// tamper-evident evidence.
//
// This package holds no code; it is the map. Start with package aims.
//
// # Packages
//
//	aims                  the management system: loads and checks governance folders
//	                      (ISO/IEC 42001 4.3, 7.5, 8.1)
//	aims/evidence         evidence records, the hash-linked log with signed Merkle
//	                      checkpoints, in-toto/DSSE attestations (7.5.3, 9.1, A.6.2.8)
//	aims/report           the self-contained HTML report with risk heat maps, and the
//	                      Statement of Applicability as Markdown and CSV
//	aims/export/...       CycloneDX 1.6 and OSCAL assessment-results projections, and
//	                      EU AI Act Annex IV technical documentation (7.5, A.6.2.7)
//	aims/store            documents at rest: revisions, optimistic concurrency, change
//	                      history (7.5.3); drivers memstore and dirstore (the default,
//	                      a folder of YAML files), conformance suite storetest
//	inventory             the AI system inventory and EU AI Act classification
//	                      (4.1, A.3.2, A.4, A.6.2.2, A.9.4, A.10)
//	risk                  risk criteria, risk register and treatment (6.1.1–6.1.3, 8.2, 8.3)
//	impact                AI system impact assessment and FRIA (6.1.4, 8.4, A.5)
//	controls              the Annex A catalogue, crosswalks and the Statement of
//	                      Applicability (6.1.3, Annex A)
//	governance            the records of the management system itself and incidents
//	                      (4.1–4.3, 5.2, 5.3, 6.2, 9.2, 9.3, 10.2, A.8.4)
//	document              what every document shares: header, problems, dates, approvals,
//	                      decoder (7.5.2); test helpers documenttest
//	cmd/aimskit           the command-line tool for CI and auditors
//
// # Document kinds
//
//	AISystem              package inventory
//	RiskCriteria          package risk
//	RiskAssessment        package risk
//	ImpactAssessment      package impact
//	StatementOfApplicability  package controls
//	GatePolicy            package aims
//	ManagementSystem      package governance
//	AuditRecord           package governance
//	ManagementReview      package governance
//	Nonconformity         package governance
//	Incident              package governance
//
// All have apiVersion aimskit.dev/v1alpha1.
package aimskit
