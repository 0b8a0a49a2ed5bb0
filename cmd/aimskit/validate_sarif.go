package main

import (
	"io"

	"github.com/aimskit/aimskit/document"
)

// The kinds of problem validate reports, the rules of its SARIF output.
const (
	ruleSyntax          = "syntax"
	ruleInvalidField    = "invalid-field"
	ruleInvalidDocument = "invalid-document"
	ruleNoDocuments     = "no-documents"
	rulePlaceholder     = "placeholder"
	ruleSoA             = "control-without-evidence"
	ruleNote            = "note"
)

// errorRule returns the kind of a problem that makes a folder invalid: a
// syntax error (one found while parsing, with its column), a field that
// breaks its kind's schema or rules or a reference to another document,
// or a document as a whole.
func errorRule(p document.Problem) string {
	switch {
	case p.Column > 0:
		return ruleSyntax
	case p.Pointer != "":
		return ruleInvalidField
	}
	return ruleInvalidDocument
}

// validateRules describes each kind of problem for code scanning.
var validateRules = map[string]struct {
	name, short, full, help string
	level                   string
	clauses                 []string
}{
	ruleSyntax: {"YamlSyntax", "The file is not valid YAML or JSON",
		"The file does not parse as YAML or JSON, repeats a key, or uses what governance documents refuse (aliases, merge keys, tabs for indentation).",
		"Fix the syntax at the line and column shown; the message says what is wrong in words (an unclosed quote or bracket, a tab, a key indented more than the one before it).",
		"error", []string{"iso42001:7.5.2"}},
	ruleInvalidField: {"InvalidField", "A field breaks its document kind's schema or rules",
		"A field is missing, unknown, of the wrong type or value, or refers to a document that is not in the folder (a system id, a risk criteria version, an audit).",
		"Fix the field at the JSON pointer shown. \"aimskit schema KIND\" prints the JSON Schema of the document's kind; an unknown field names the closest known one.",
		"error", []string{"iso42001:7.5.2", "iso42001:7.5.3"}},
	ruleInvalidDocument: {"InvalidDocument", "The document as a whole cannot be read",
		"The file is empty, too large, holds more than one document, is not an object with apiVersion and kind, or cannot be read.",
		"Put one aimskit document in each file, an object that starts with apiVersion: aimskit.dev/v1alpha1 and its kind.",
		"error", []string{"iso42001:7.5.2"}},
	ruleNoDocuments: {"NoDocuments", "The folder holds no aimskit documents",
		"No YAML or JSON file in the folder is an aimskit document.",
		"Run \"aimskit init DIR\" to scaffold a governance folder, or give the folder that holds the documents.",
		"error", []string{"iso42001:7.5.1"}},
	rulePlaceholder: {"Placeholder", "A value is a placeholder left to fill in",
		"A value is marked by a comment that starts with TODO: it was scaffolded for a person to fill in, and is not an answer yet.",
		"Fill in the value and delete its TODO comment. Every gate out of inception denies until no placeholder is left.",
		"warning", []string{"iso42001:7.5.2"}},
	ruleSoA: {"ControlWithoutEvidence", "An implemented control references no evidence",
		"An applicable control of the Statement of Applicability is marked implemented but references no evidence, which an auditor will ask for.",
		"Reference the evidence of the control under its entry's evidence, or give the status it has.",
		"warning", []string{"iso42001:6.1.3", "iso42001:7.5.1"}},
	ruleNote: {"Note", "Something to know that is not a problem",
		"A file left out because it is not a regular file, or what a system not yet deployed does not need yet (an Art. 27 FRIA, Art. 14 human oversight) but its deployment gate will require.",
		"Nothing to fix now; the note says what a later gate requires.",
		"note", nil},
}

// writeValidateSARIF writes the problems of r as SARIF 2.1.0: one rule
// per kind of problem (rules holds the kind of each), one result per
// problem at its file, line and column.
func writeValidateSARIF(w, stderr io.Writer, r validateReport, rules []string) int {
	b := newSARIF("aimskit/validate/", newLocations())
	for k, p := range r.Problems {
		d := validateRules[rules[k]]
		i := b.rule(sarifRule{
			ID: rules[k], Name: d.name,
			ShortDescription: sarifText{Text: d.short}, FullDescription: sarifText{Text: d.full},
			Help: sarifText{Text: d.help}, HelpURI: aimskitURI + "#code-scanning-and-test-reports",
			DefaultConfiguration: sarifConfig{Level: d.level},
			Properties:           sarifProps{Tags: []string{"aimskit", "governance"}, Clauses: d.clauses},
		})
		file := p.File
		if file == "" {
			file = r.Folder
		}
		msg := p.Message
		if p.Pointer != "" {
			msg = p.Pointer + ": " + msg
		}
		res := b.result(i, d.level, msg, file, p.Pointer, p.Line, p.Column)
		if p.Pointer != "" {
			res.Properties = &sarifProps{Pointer: p.Pointer}
		}
	}
	return b.write(w, stderr, "validate")
}
