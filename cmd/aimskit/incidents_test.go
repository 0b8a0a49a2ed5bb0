package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// incidentDocs are incidents with the credit-scoring system of the
// example: one of each reporting period of Art. 73, one reported on time
// and one that is not serious.
var incidentDocs = map[string]string{
	"incident-grid.yaml": `apiVersion: aimskit.dev/v1alpha1
kind: Incident
id: inc-2026-011
system: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10
title: Scoring outage took down the payment network
description: A scoring outage disrupted the payment network.
type: critical-infrastructure-disruption
aware: "2026-11-20T08:00:00Z"
status: detected
`,
	"incident-death.yaml": `apiVersion: aimskit.dev/v1alpha1
kind: Incident
id: inc-2026-012
system: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10
title: Death after a refused emergency loan
description: An applicant died after a refusal.
type: death-or-serious-harm-to-health
death: true
aware: "2026-11-15T10:00:00Z"
status: detected
`,
	"incident-rights.yaml": `apiVersion: aimskit.dev/v1alpha1
kind: Incident
id: inc-2026-007
system: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10
title: Systematic refusals in one postcode area
description: Applicants from one postcode area were refused at four times the usual rate.
type: fundamental-rights-infringement
aware: "2026-11-10T08:30:00Z"
status: initial-report-sent
reports:
  - {date: "2026-11-12T16:00:00Z", kind: initial, authority: Market surveillance authority (DE)}
`,
	"incident-minor.yaml": `apiVersion: aimskit.dev/v1alpha1
kind: Incident
id: inc-2026-013
system: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10
title: Slow scores
description: Scores took ten seconds for an hour.
type: not-serious
aware: "2026-11-18T08:00:00Z"
status: detected
`,
}

func TestIncidents(t *testing.T) {
	dir := copyExample(t, incidentDocs)
	tests := []struct {
		name     string
		date     string
		wantCode int
		want     []string
	}{
		{"all within their deadlines", "2026-11-21", exitOK, []string{
			"Incidents on 2026-11-21 12:00 UTC: 4, 0 overdue",
			"inc-2026-011  Consumer credit scoring  critical-infrastructure-disruption",
			"2026-11-22 08:00 (2 days, Art. 73(3))", "20h left",
			"2026-11-25 10:00 (10 days, Art. 73(4))", "3d 22h left",
			"2026-11-25 08:30 (15 days, Art. 73(2))", "reported on 2026-11-12, within the deadline",
			"no reporting deadline: not a serious incident",
		}},
		{"critical infrastructure overdue after 2 days (Art. 73(3))", "2026-11-23", exitInvalid, []string{
			"4, 1 overdue", "OVERDUE by 1d 4h",
		}},
		{"death overdue after 10 days (Art. 73(4))", "2026-11-26", exitInvalid, []string{
			"4, 2 overdue", "OVERDUE by 1d 2h",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, "incidents", "--date", tt.date, dir)
			if code != tt.wantCode {
				t.Errorf("incidents --date %s = %d, want %d; stderr:\n%s", tt.date, code, tt.wantCode, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("incidents output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestIncidentsJSON(t *testing.T) {
	dir := copyExample(t, incidentDocs)
	code, out, _ := runCLI(t, "incidents", "--date", "2026-11-23", "--format", "json", dir)
	if code != exitInvalid {
		t.Errorf("incidents --format json with one overdue = %d, want %d", code, exitInvalid)
	}
	var rows []struct {
		ID          string `json:"id"`
		Days        int    `json:"days"`
		Article     string `json:"article"`
		Overdue     bool   `json:"overdue"`
		SecondsLeft *int64 `json:"secondsLeft"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if len(rows) != 4 {
		t.Fatalf("got %d incidents, want 4", len(rows))
	}
	first := rows[0]
	if first.ID != "inc-2026-011" || !first.Overdue || first.Days != 2 || first.Article != "Art. 73(3)" ||
		first.SecondsLeft == nil || *first.SecondsLeft != -(28*3600) {
		t.Errorf("first row = %+v, want inc-2026-011 overdue by 28h, 2 days under Art. 73(3)", first)
	}
}

func TestIncidentsNone(t *testing.T) {
	code, out, _ := runCLI(t, "incidents", "--date", "2026-11-21", example)
	if code != exitOK || !strings.Contains(out, ": 0, 0 overdue") {
		t.Errorf("incidents of a folder without incidents = %d:\n%s", code, out)
	}
	if code, _, stderr := runCLI(t, "incidents", "--date", "21.11.2026", example); code != exitError || !strings.Contains(stderr, "YYYY-MM-DD") {
		t.Errorf("incidents with a bad date = %d, %q", code, stderr)
	}
}
