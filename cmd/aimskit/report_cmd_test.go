package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.html")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"writes report", []string{"--out", out, "--date", "2026-11-02", example}, exitOK, "report of 2 AI systems written to " + out, ""},
		{"missing out", []string{example}, exitError, "", "--out is required"},
		{"bad date", []string{"--out", out, "--date", "tomorrow", example}, exitError, "", "is not of the form YYYY-MM-DD"},
		{"missing folder", []string{"--out", out, filepath.Join(dir, "nope")}, exitError, "", "is not a folder"},
		{"unwritable out", []string{"--out", filepath.Join(dir, "no", "such", "dir.html"), example}, exitError, "", "aimskit report:"},
		{"too many args", []string{"--out", out, "a", "b"}, exitError, "", "too many arguments"},
		{"help", []string{"-h"}, exitOK, "", "Usage: aimskit report [flags] --out FILE.html [DIR]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runReport(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("aimskit report %v exit = %d, want %d; stderr:\n%s", tt.args, code, tt.wantCode, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.wantStdout) {
				t.Errorf("aimskit report %v stdout lacks %q:\n%s", tt.args, tt.wantStdout, stdout.String())
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("aimskit report %v stderr lacks %q:\n%s", tt.args, tt.wantStderr, stderr.String())
			}
		})
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"<!DOCTYPE html>", "as of 2026-11-02", "Consumer credit scoring", "Customer support assistant", `<rect data-system=`} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestReportCommandInvalidFolder(t *testing.T) {
	dir := t.TempDir()
	bad := "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nname: x\ncolour: red\n"
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "report.html")
	var stdout, stderr bytes.Buffer
	if code := runReport(context.Background(), []string{"--out", out, dir}, &stdout, &stderr); code != exitInvalid {
		t.Errorf("aimskit report on an invalid folder exit = %d, want %d; stderr:\n%s", code, exitInvalid, stderr.String())
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("aimskit report on an invalid folder wrote %s (stat error %v)", out, err)
	}
}
