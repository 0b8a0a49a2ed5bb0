package report_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromium returns the path of a Chromium binary, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	t.Skip("chromium not installed: apt-get install chromium")
	return ""
}

// runChromium runs headless Chromium with args and returns its stdout and
// stderr. The context bounds it, so the test never hangs.
func runChromium(t *testing.T, bin string, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(),
		"--enable-logging=stderr", "--v=0",
	}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\nstderr:\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

// TestBrowser opens the report of the example folder in headless
// Chromium and checks the DOM the browser built: every heat-map cell is
// there with the count of risks worked out from risk.Evaluate. It also
// checks, as far as Chromium's log allows, that the page logged nothing
// to the console: Chromium writes console messages of a page to stderr
// as lines with "CONSOLE" (with --enable-logging=stderr), and uncaught
// exceptions as "Uncaught". The page has no scripts, so both would mean
// something got in that should not have.
//
// With AIMSKIT_SCREENSHOT=path.png it also saves a screenshot of the
// page, 1280 by 2400 pixels, to look at.
func TestBrowser(t *testing.T) {
	bin := chromium(t)
	f := loadExample(t)
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte(render(t, f)), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.ToSlash(path)

	dom, stderr := runChromium(t, bin, "--dump-dom", url)
	if !strings.Contains(dom, "<svg") {
		t.Fatalf("chromium --dump-dom has no SVG:\n%.2000s", dom)
	}
	want, _ := wantCells(t, f)
	diffCells(t, want, gotCells(t, dom))
	for _, s := range f.Systems {
		if !strings.Contains(dom, `data-system="`+s.ID.String()+`"`) {
			t.Errorf("rendered DOM lacks AI system %s", s.Name)
		}
	}
	for _, line := range strings.Split(stderr, "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Uncaught") {
			t.Errorf("page logged to the console: %s", line)
		}
	}

	if shot := os.Getenv("AIMSKIT_SCREENSHOT"); shot != "" {
		abs, err := filepath.Abs(shot)
		if err != nil {
			t.Fatal(err)
		}
		runChromium(t, bin, "--screenshot="+abs, "--window-size=1280,2400", "--hide-scrollbars", url)
		if st, err := os.Stat(abs); err != nil || st.Size() == 0 {
			t.Fatalf("no screenshot at %s: %v", abs, err)
		}
		t.Logf("screenshot of the report: %s", abs)
	}
}
