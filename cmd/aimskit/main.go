// Command aimskit works with a folder of aimskit governance documents from
// the command line, for CI and auditors: it validates the documents,
// prints the AI system inventory with each system's EU AI Act
// classification and derived obligations (and, for one system, how they
// were derived from its facts), lists incidents with their reporting
// deadlines, renders the Statement of
// Applicability and the readiness report, evaluates life-cycle gates with
// signed attestations and a hash-linked evidence log, and verifies such
// logs.
//
// Usage:
//
//	aimskit <command> [flags] [DIR]
//
// The commands are:
//
//	init       scaffold a governance folder with commented documents to fill in
//	validate   check every document in DIR; exit 1 if any is invalid
//	           (--format sarif: SARIF 2.1.0 for code scanning)
//	inventory  print the AI systems with their classification and obligations;
//	           --explain SYSTEM shows the reasoning, rule by rule with its article
//	soa        print the Statement of Applicability (Markdown, CSV or JSON)
//	readiness  report which documented information is missing, per clause and control
//	incidents  list incidents with their EU AI Act Art. 73 deadline; exit 1 if one is overdue
//	gate       evaluate a life-cycle gate; exit 0 allow or warn, 1 deny, 2 undecided
//	           (--format sarif for code scanning, --format junit for test reports)
//	report     write a self-contained HTML report with risk heat maps
//	export     CycloneDX 1.6 or 1.7 (export cyclonedx [--spec 1.7]) or OSCAL assessment results (export oscal);
//	           export spdx: SPDX 3.0.1 JSON-LD, each AI system an ai_AIPackage;
//	           export crosswalk: the ISO/IEC 42001 crosswalks as an OSCAL mapping-collection;
//	           export annex-iv --system ID: EU AI Act Annex IV technical documentation
//	           of a high-risk system (Markdown or JSON); exit 1 for a system that is
//	           not high-risk (--force writes it) or a --log that does not verify
//	evidence   verify a hash-linked evidence log (evidence verify [--pub KEY] LOG),
//	           a folder of segments, or an auditor's bundle (evidence verify --pub KEY BUNDLE.tar);
//	           evidence bundle --pub KEY --out BUNDLE.tar DIR: a period of a segmented log,
//	           with its checkpoints, keys and a manifest, in one file for an auditor
//	keygen     create an Ed25519 key pair for attestations and checkpoints
//	witness    serve a witness that cosigns evidence log checkpoints (witness serve)
//	schema     print the JSON Schema of a document kind
//
// DIR defaults to the current directory. Run "aimskit <command> -h" for
// the flags of a command. Exit codes: 0 success, 1 invalid documents,
// 2 usage or other errors.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
