package report_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/report"
)

func ExampleWriteHTML() {
	f, err := aims.Load(context.Background(), os.DirFS("../../examples/credit-scoring/governance"))
	if err != nil {
		log.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.WriteHTML(&b, f, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		log.Fatal(err)
	}
	html := b.String()
	fmt.Println(strings.HasPrefix(html, "<!DOCTYPE html>"))
	fmt.Println("heat-map cells:", strings.Count(html, "<rect data-system="))
	fmt.Println("scripts:", strings.Count(html, "<script"))
	// Output:
	// true
	// heat-map cells: 100
	// scripts: 0
}
