package oscal

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/controls"
)

// MappingVersion is the OSCAL version [Crosswalk] declares: the
// mapping-collection model first appeared in OSCAL 1.2.
const MappingVersion = "1.2.2"

// Hrefs of the mapped resources in a mapping collection.
const (
	// ISO42001Href identifies ISO/IEC 42001:2023, the source of every
	// mapping.
	ISO42001Href = "https://www.iso.org/standard/81230.html"
	// NISTAIRMFHref identifies the NIST AI RMF 1.0 (NIST AI 100-1).
	NISTAIRMFHref = "https://doi.org/10.6028/NIST.AI.100-1"
	// EUAIActHref identifies Regulation (EU) 2024/1689 in the Official
	// Journal.
	EUAIActHref = "https://eur-lex.europa.eu/eli/reg/2024/1689/oj"
)

// ErrUnknownFramework is returned by [Crosswalk] for a framework the
// catalogue has no crosswalk to.
var ErrUnknownFramework = errors.New("oscal: unknown framework")

// CrosswalkOptions configures [Crosswalk]. A nil *CrosswalkOptions is the
// same as the zero value: every framework, the current time.
type CrosswalkOptions struct {
	// Framework is the one framework to export the crosswalk to.
	// [controls.FrameworkUnspecified] exports every framework, one
	// mapping each.
	Framework controls.Framework
	// Time returns metadata.last-modified (in UTC, to the second). Nil
	// means [time.Now].
	Time func() time.Time
}

// Crosswalk returns the crosswalks of cat ([controls.Catalog.Mappings]) as
// an OSCAL mapping-collection (JSON, indented, with a final newline;
// oscal-version [MappingVersion]): one mapping per framework, from
// ISO/IEC 42001:2023 ([ISO42001Href]) to the NIST AI RMF ([NISTAIRMFHref])
// or the EU AI Act ([EUAIActHref]), and in it one map per row of the
// crosswalk. A map relates its source, the control or clause ("A.6.2.8",
// "6.1.3"), to its target, the NIST subcategory or EU AI Act reference
// ("MS2.4", "Art. 26(6)"), with the relationship "intersects-with": the
// crosswalks say that a control serves a requirement, not that the two
// are equal. Each map carries, as properties in [Namespace], its basis
// ("official", "secondary" or "derived", see [controls.Basis]) and its
// source, and the crosswalk's note as remarks. The provenance states the
// matching rationale "semantic" (rows relate what the requirements mean)
// and the method "human".
//
// UUIDs are derived with [uuid.NewSHA1] from [Namespace] and the rows, so
// the same catalogue and clock give byte-identical output. A nil cat
// means [controls.ISO42001]. Crosswalk returns an error matching
// [ErrUnknownFramework] when Options.Framework has no crosswalk in cat.
func Crosswalk(cat *controls.Catalog, opts *CrosswalkOptions) ([]byte, error) {
	var o CrosswalkOptions
	if opts != nil {
		o = *opts
	}
	if o.Time == nil {
		o.Time = time.Now
	}
	if cat == nil {
		cat = controls.ISO42001()
	}
	frameworks := []controls.Framework{controls.FrameworkNISTAIRMF, controls.FrameworkEUAIAct}
	if o.Framework != controls.FrameworkUnspecified {
		frameworks = []controls.Framework{o.Framework}
	}
	all := cat.Mappings()
	root := uuid.NewSHA1(uuid.NewSHA1(uuid.NameSpaceURL, []byte(Namespace)), []byte("mapping-collection"))
	mc := mappingCollection{
		Metadata: metadata{
			Title:        "ISO/IEC 42001:2023 crosswalks",
			LastModified: o.Time().UTC().Truncate(time.Second).Format(time.RFC3339),
			Version:      "1.0",
			OSCALVersion: MappingVersion,
			Remarks: "Rows with the basis official are taken from a crosswalk published by the owner of one of the two frameworks; " +
				"secondary and derived rows were derived by aimskit from the texts of the frameworks (secondary ones agree with a published secondary crosswalk). " +
				"Verify derived rows before relying on them for legal purposes.",
		},
		Provenance: mappingProvenance{
			Method:             "human",
			MatchingRationale:  "semantic",
			Status:             "complete",
			MappingDescription: "Which ISO/IEC 42001:2023 clauses and Annex A controls serve which requirements of the NIST AI RMF 1.0 and of the EU AI Act.",
		},
	}
	for _, fw := range frameworks {
		m, ok := frameworkMapping(fw)
		if !ok {
			return nil, fmt.Errorf("%w %q", ErrUnknownFramework, fw)
		}
		for i, row := range all {
			if row.Framework != fw {
				continue
			}
			mp := mappingMap{
				UUID:         uuid.NewSHA1(root, []byte(string(fw)+"\x00"+strconv.Itoa(i)+"\x00"+string(row.From)+"\x00"+row.To)).String(),
				Relationship: "intersects-with",
				Sources:      []mappingItem{{Type: "control", IDRef: row.From.Ref()}},
				Targets:      []mappingItem{{Type: targetType(fw), IDRef: row.To}},
				Props: []property{
					{Name: "basis", Value: string(row.Basis), NS: Namespace},
					{Name: "source", Value: row.Source, NS: Namespace},
				},
				Remarks: row.Note,
			}
			m.Maps = append(m.Maps, mp)
		}
		if len(m.Maps) == 0 {
			return nil, fmt.Errorf("%w %q", ErrUnknownFramework, fw)
		}
		m.UUID = uuid.NewSHA1(root, []byte(string(fw))).String()
		mc.Mappings = append(mc.Mappings, m)
	}
	mc.UUID = uuid.NewSHA1(root, []byte(mc.Metadata.LastModified+"\x00"+fmt.Sprint(frameworks))).String()
	out, err := json.MarshalIndent(mappingDocument{MappingCollection: mc}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("oscal: crosswalk: %w", err)
	}
	return append(out, '\n'), nil
}

// frameworkMapping returns the mapping of fw without its maps.
func frameworkMapping(fw controls.Framework) (mapping, bool) {
	src := mappingResource{Type: "catalog", Href: ISO42001Href, Remarks: "ISO/IEC 42001:2023, clauses 4 to 10 and Annex A"}
	switch fw {
	case controls.FrameworkNISTAIRMF:
		return mapping{
			SourceResource:     src,
			TargetResource:     mappingResource{Type: "catalog", Href: NISTAIRMFHref, Remarks: "NIST AI Risk Management Framework 1.0 (NIST AI 100-1), subcategories"},
			MappingDescription: "ISO/IEC 42001:2023 to the NIST AI RMF 1.0, read from the NIST AI RMF to ISO/IEC 42001 crosswalk published by NIST (official).",
			Method:             "human",
		}, true
	case controls.FrameworkEUAIAct:
		return mapping{
			SourceResource:     src,
			TargetResource:     mappingResource{Type: "catalog", Href: EUAIActHref, Remarks: "Regulation (EU) 2024/1689 (EU AI Act), articles, paragraphs, points and annex sections"},
			MappingDescription: "ISO/IEC 42001:2023 Annex A to the EU AI Act, derived by aimskit from the texts (no official crosswalk exists).",
			Method:             "human",
		}, true
	}
	return mapping{}, false
}

// targetType is the OSCAL subject type of the targets of fw: NIST
// subcategories are controls, EU AI Act references are statements.
func targetType(fw controls.Framework) string {
	if fw == controls.FrameworkEUAIAct {
		return "statement"
	}
	return "control"
}

// The types below are the subset of the OSCAL mapping-collection JSON
// format that [Crosswalk] emits.

type mappingDocument struct {
	MappingCollection mappingCollection `json:"mapping-collection"`
}

type mappingCollection struct {
	UUID       string            `json:"uuid"`
	Metadata   metadata          `json:"metadata"`
	Provenance mappingProvenance `json:"provenance"`
	Mappings   []mapping         `json:"mappings"`
}

type mappingProvenance struct {
	Method             string `json:"method"`
	MatchingRationale  string `json:"matching-rationale"`
	Status             string `json:"status"`
	MappingDescription string `json:"mapping-description"`
}

type mapping struct {
	UUID               string          `json:"uuid"`
	SourceResource     mappingResource `json:"source-resource"`
	TargetResource     mappingResource `json:"target-resource"`
	MappingDescription string          `json:"mapping-description,omitempty"`
	Method             string          `json:"method,omitempty"`
	Maps               []mappingMap    `json:"maps"`
}

type mappingResource struct {
	Type    string `json:"type"`
	Href    string `json:"href"`
	Remarks string `json:"remarks,omitempty"`
}

type mappingMap struct {
	UUID         string        `json:"uuid"`
	Relationship string        `json:"relationship"`
	Sources      []mappingItem `json:"sources"`
	Targets      []mappingItem `json:"targets"`
	Props        []property    `json:"props,omitempty"`
	Remarks      string        `json:"remarks,omitempty"`
}

type mappingItem struct {
	Type  string `json:"type"`
	IDRef string `json:"id-ref"`
}
