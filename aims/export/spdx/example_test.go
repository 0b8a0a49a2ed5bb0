package spdx_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/export/spdx"
)

func ExampleExport() {
	f, err := aims.Load(context.Background(), os.DirFS("../../../examples/credit-scoring/governance"))
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := spdx.Export(f, &spdx.Options{
		System:    uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10"),
		Namespace: "https://bank.example/spdx/",
		Time:      func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var doc struct {
		Graph []struct {
			Type             string `json:"type"`
			Name             string `json:"name"`
			SafetyRisk       string `json:"ai_safetyRiskAssessment"`
			RelationshipType string `json:"relationshipType"`
		} `json:"@graph"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range doc.Graph {
		switch e.Type {
		case "ai_AIPackage", "dataset_DatasetPackage":
			fmt.Println(strings.TrimSpace(e.Type + " " + e.Name + " " + e.SafetyRisk))
		case "Relationship":
			fmt.Println(e.Type, e.RelationshipType)
		}
	}
	// Output:
	// ai_AIPackage Consumer credit scoring high
	// dataset_DatasetPackage loan-book-2019-2025
	// dataset_DatasetPackage holdout-2025
	// ai_AIPackage credit-gbm
	// Relationship trainedOn
	// Relationship testedOn
	// Relationship contains
	// Relationship hasDocumentation
}
