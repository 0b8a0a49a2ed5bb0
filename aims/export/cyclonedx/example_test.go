package cyclonedx_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/export/cyclonedx"
)

func ExampleExport() {
	f, err := aims.Load(context.Background(), os.DirFS("../../../examples/credit-scoring/governance"))
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := cyclonedx.Export(f, &cyclonedx.Options{
		System:       uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10"),
		Time:         func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) },
		SerialNumber: func() (uuid.UUID, error) { return uuid.MustParse("3e671687-395b-41f5-a30f-a58921a69b79"), nil },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var bom struct {
		Metadata struct {
			Component struct{ Name string }
		}
		Components []struct{ Type string }
	}
	if err := json.Unmarshal(out, &bom); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bom.Metadata.Component.Name)
	for _, c := range bom.Components {
		fmt.Println(c.Type)
	}
	// Output:
	// Consumer credit scoring
	// machine-learning-model
	// data
	// data
}
