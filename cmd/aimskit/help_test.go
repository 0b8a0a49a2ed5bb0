package main

import (
	"strings"
	"testing"
)

// Help that was asked for goes to standard output with exit 0; a usage
// mistake goes to standard error with exit 2.
func TestHelpToStdout(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"gate", "--help"}, {"evidence", "verify", "-h"}, {"validate", "-help"}} {
		code, out, stderr := runCLI(t, args...)
		if code != exitOK || !strings.Contains(out, "Usage") || stderr != "" {
			t.Errorf("aimskit %s = %d, stdout %q, stderr %q; want 0 and the usage on stdout", strings.Join(args, " "), code, out, stderr)
		}
	}
	code, out, stderr := runCLI(t, "gate", "--bogus")
	if code != exitError || out != "" || !strings.Contains(stderr, "Usage") {
		t.Errorf("aimskit gate --bogus = %d, stdout %q, stderr %q; want 2 and the usage on stderr", code, out, stderr)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "aimskit ") {
		t.Errorf("aimskit version = %d, %q", code, out)
	}
	if code, _, _ := runCLI(t, "version", "extra"); code != exitError {
		t.Errorf("aimskit version extra = %d, want %d", code, exitError)
	}
}
