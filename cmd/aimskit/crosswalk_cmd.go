package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/aimskit/aimskit/aims/export/oscal"
	"github.com/aimskit/aimskit/controls"
)

// runExportCrosswalk writes the ISO/IEC 42001 crosswalks as an OSCAL
// mapping-collection. It reads no governance folder: the crosswalks are
// data of package controls.
func runExportCrosswalk(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("export crosswalk", "", stderr)
	fw := fs.String("framework", "", "export the crosswalk to one framework only: nist-ai-rmf or eu-ai-act (default both)")
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "aimskit export crosswalk: takes no folder (got %q): the crosswalks are built in\n", fs.Arg(0))
		return exitError
	}
	out, err := oscal.Crosswalk(nil, &oscal.CrosswalkOptions{Framework: controls.Framework(*fw)})
	if err != nil {
		fmt.Fprintf(stderr, "aimskit export crosswalk: %v\n", err)
		return exitError
	}
	stdout.Write(out)
	return exitOK
}
