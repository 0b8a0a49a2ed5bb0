package aims_test

import (
	"context"
	"fmt"
	"testing/fstest"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/inventory"
)

// A folder with a problem in one AI system's documents loads with an
// error, and its gate still decides: it denies that system and decides
// for the others as usual.
func ExampleSnapshot_SystemProblems() {
	bot, other := uuid.MustParse(chatbotID), uuid.MustParse(otherID)
	fsys := fstest.MapFS{
		"bot.yaml":   {Data: []byte(system(chatbotID, "bot"))},
		"other.yaml": {Data: []byte(system(otherID, "other"))},
		// A waiver whose expiry is not after its grant: a problem of the
		// waiver, and so of the system it is for.
		"policy.yaml": {Data: []byte(basicPolicy(`waivers:
  - {check: accuracy, system: ` + otherID + `, approver: CTO, reason: pilot, granted: 2026-02-01, expires: 2026-01-01}
`))},
	}
	ctx := context.Background()
	folder, err := aims.Load(ctx, fsys)
	fmt.Println("load:", err)
	fmt.Println("folder-wide:", len(folder.SharedProblems()), "bot:", len(folder.SystemProblems(bot)), "other:", len(folder.SystemProblems(other)))

	gate, err := aims.NewGate(folder, fixedOptions(nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	facts := aims.Facts{"accuracy": 0.95}
	for _, id := range []uuid.UUID{bot, other} {
		d, err := gate.Evaluate(ctx, id, inventory.StageVerificationValidation, facts)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(d.SystemName, d.Verdict)
		for _, c := range d.Failed() {
			if c.Severity == aims.SeverityDeny {
				fmt.Println("  ", c.Check+":", c.Message)
			}
		}
	}
	// Output:
	// load: policy.yaml:/waivers/0/expires: 2026-01-01 is not after granted (2026-02-01)
	// folder-wide: 0 bot: 0 other: 1
	// bot warn
	// other deny
	//    documents-valid: the documents of the system have 1 problem: policy.yaml:/waivers/0/expires: 2026-01-01 is not after granted (2026-02-01)
}
