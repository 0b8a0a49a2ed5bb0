package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/aimskit/aimskit/document"
)

// SARIF 2.1.0 (OASIS), the subset aimskit writes: what code-scanning
// services read (GitHub's list of supported properties) and nothing else.
const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	// sarifSrcRoot is the base of relative artifact URIs: the root of
	// the repository that holds the governance folder.
	sarifSrcRoot = "%SRCROOT%"
	// sarifFingerprint names aimskit's partial fingerprint: rule, file
	// and JSON pointer, not the line, so that an alert survives edits
	// that move its field.
	sarifFingerprint = "aimskitField/v1"
	aimskitURI       = "https://github.com/aimskit/aimskit"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool       `json:"tool"`
	AutomationDetails sarifAutomation `json:"automationDetails"`
	// ColumnKind says columns count characters, as [document.Problem]
	// and [document.Locator] count them.
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
	Properties *sarifProps   `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string      `json:"id"`
	Name                 string      `json:"name"`
	ShortDescription     sarifText   `json:"shortDescription"`
	FullDescription      sarifText   `json:"fullDescription"`
	Help                 sarifText   `json:"help"`
	HelpURI              string      `json:"helpUri"`
	DefaultConfiguration sarifConfig `json:"defaultConfiguration"`
	Properties           sarifProps  `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

// sarifProps is a SARIF property bag: tags, and the ISO/IEC 42001 ids a
// rule or result serves.
type sarifProps struct {
	Tags     []string `json:"tags,omitempty"`
	Controls []string `json:"controls,omitempty"`
	Clauses  []string `json:"clauses,omitempty"`
	// For a gate: the decision, its verdict, and per result the check's
	// outcome and severity.
	Decision       string `json:"decision,omitempty"`
	Verdict        string `json:"verdict,omitempty"`
	PolicyRevision string `json:"policyRevision,omitempty"`
	Outcome        string `json:"outcome,omitempty"`
	Severity       string `json:"severity,omitempty"`
	Pointer        string `json:"pointer,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          *sarifProps        `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// sarifSuppression is how SARIF says a result was accepted: a gate's
// waiver.
type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

// sarifBuilder collects the rules and results of one run.
type sarifBuilder struct {
	run   sarifRun
	index map[string]int // rule id -> index in run.Tool.Driver.Rules
	files *locations
}

func newSARIF(automation string, files *locations) *sarifBuilder {
	return &sarifBuilder{
		run: sarifRun{
			Tool:              sarifTool{Driver: sarifDriver{Name: "aimskit", InformationURI: aimskitURI, Rules: []sarifRule{}}},
			AutomationDetails: sarifAutomation{ID: automation},
			ColumnKind:        "unicodeCodePoints",
			Results:           []sarifResult{},
		},
		index: map[string]int{},
		files: files,
	}
}

// rule returns the index of the rule with r's id, adding r the first time.
func (b *sarifBuilder) rule(r sarifRule) int {
	if i, ok := b.index[r.ID]; ok {
		return i
	}
	b.run.Tool.Driver.Rules = append(b.run.Tool.Driver.Rules, r)
	b.index[r.ID] = len(b.run.Tool.Driver.Rules) - 1
	return b.index[r.ID]
}

// result adds a result of the rule at index i, located at the field at
// pointer of file (a path as the user gave it, "" for none); line and
// column are those already known (0 when not).
func (b *sarifBuilder) result(i int, level, msg, file, pointer string, line, column int) *sarifResult {
	ruleID := b.run.Tool.Driver.Rules[i].ID
	loc := b.files.at(file, pointer, line, column)
	h := sha256.Sum256([]byte(ruleID + "\x00" + loc.PhysicalLocation.ArtifactLocation.URI + "\x00" + pointer))
	b.run.Results = append(b.run.Results, sarifResult{
		RuleID: ruleID, RuleIndex: i, Level: level, Message: sarifText{Text: msg},
		Locations:           []sarifLocation{loc},
		PartialFingerprints: map[string]string{sarifFingerprint: hex.EncodeToString(h[:16])},
	})
	return &b.run.Results[len(b.run.Results)-1]
}

func (b *sarifBuilder) write(w, stderr io.Writer, name string) int {
	return writeJSON(w, stderr, name, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{b.run}})
}

// locations finds where results are: the URI of a file relative to the
// root of its repository, and the line and column of a field in it.
type locations struct {
	cwd       string
	locators  map[string]*document.Locator // by path; nil for a file that does not parse
	artifacts map[string]sarifArtifact     // by path
}

func newLocations() *locations {
	cwd, _ := os.Getwd()
	return &locations{cwd: cwd, locators: map[string]*document.Locator{}, artifacts: map[string]sarifArtifact{}}
}

// at returns the location of the field at pointer in file. A line or
// column already known is kept; what is not is found in the file: the
// line of the field (line 1 when it cannot be found, the document as a
// whole) and its column when it is on that line.
func (l *locations) at(file, pointer string, line, column int) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: l.artifact(file)}}
	if file == "" {
		return loc
	}
	lc := l.locator(file)
	if st, err := os.Stat(file); lc == nil && err == nil && st.IsDir() {
		return loc // a folder has no lines
	}
	if lc != nil && (line == 0 || column == 0) {
		fl, fc := lc.Locate(pointer)
		switch {
		case line == 0 && fl > 0:
			line, column = fl, fc
		case fl == line:
			column = fc
		}
	}
	if line <= 0 {
		line, column = 1, 0
	}
	loc.PhysicalLocation.Region = &sarifRegion{StartLine: line, StartColumn: max(column, 0)}
	return loc
}

// locator returns the locator of a file, reading it the first time: only
// a regular file no larger than a document may be, so that a FIFO or a
// huge file is never read.
func (l *locations) locator(file string) *document.Locator {
	if lc, ok := l.locators[file]; ok {
		return lc
	}
	l.locators[file] = nil
	st, err := os.Stat(file)
	if err != nil || !st.Mode().IsRegular() || st.Size() > document.DefaultMaxSize {
		return nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	if lc, err := document.NewLocator(data); err == nil {
		l.locators[file] = lc
	}
	return l.locators[file]
}

// artifact returns the artifact location of a path: relative to the root
// of the repository that holds it (the nearest folder above it with a
// .git), or else to the working directory, with the base %SRCROOT%; an
// absolute file URI when it is in neither.
func (l *locations) artifact(path string) sarifArtifact {
	if a, ok := l.artifacts[path]; ok {
		return a
	}
	a := l.findArtifact(path)
	l.artifacts[path] = a
	return a
}

func (l *locations) findArtifact(path string) sarifArtifact {
	if path == "" {
		path = "."
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return sarifArtifact{URI: uriPath(filepath.ToSlash(path)), URIBaseID: sarifSrcRoot}
	}
	for _, base := range []string{repoRoot(abs), l.cwd} {
		if base == "" {
			continue
		}
		if rel, err := filepath.Rel(base, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return sarifArtifact{URI: uriPath(filepath.ToSlash(rel)), URIBaseID: sarifSrcRoot}
		}
	}
	return sarifArtifact{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()}
}

// uriPath escapes a slash-separated relative path as a URI reference.
func uriPath(p string) string {
	return (&url.URL{Path: p}).String()
}

// repoRoot returns the nearest folder at or above the folder of abs that
// holds a .git, or "".
func repoRoot(abs string) string {
	dir := abs
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		dir = filepath.Dir(abs)
	}
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
