package creditscoring_test

// This file is the README's "Use it from Go" example, as written there;
// TestReadme in the module root checks that the two stay the same.

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/aimskit/aimskit/aims"
)

//go:embed governance
var governance embed.FS

func checkGovernance(ctx context.Context) error {
	sub, err := fs.Sub(governance, "governance")
	if err != nil {
		return err
	}
	folder, err := aims.Load(ctx, sub) // every problem of every file, as *document.Error
	if err != nil {
		return err
	}
	for _, sys := range folder.Systems {
		ob := sys.Obligations() // EU AI Act: high-risk? FRIA? which articles, from when?
		if ob.Prohibited {
			return fmt.Errorf("%s is a prohibited practice", sys.Name)
		}
	}
	return nil
}
