package aims_test

import (
	"context"
	"errors"
	"fmt"
	"testing/fstest"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
)

func ExampleLoad() {
	fsys := fstest.MapFS{
		"chatbot.yaml": {Data: []byte(`apiVersion: aimskit.dev/v1alpha1
kind: AISystem
id: 2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60
name: Support assistant
accountability:
  businessOwner: {name: Head of Customer Service}
  technicalLead: {name: Platform Lead}
  operatorRoles: [provider]
purpose: {intended: Answer questions about accounts}
lifecycle: {stage: operation-and-monitoring}
facts: {capabilities: [interacts-with-persons]}
`)},
	}
	folder, err := aims.Load(context.Background(), fsys)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range folder.Systems {
		fmt.Println(s.Name, "-", s.Classified().Category, s.Obligations().Articles())
	}
	// Output:
	// Support assistant - minimal [Art. 4 Art. 50(1)]
}

func ExampleLoad_problems() {
	fsys := fstest.MapFS{
		"systems/bad.yaml": {Data: []byte(`apiVersion: aimskit.dev/v1alpha1
kind: AISystem
id: 2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60
name: Support assistant
owner: nobody
accountability:
  businessOwner: {name: Head of Customer Service}
  technicalLead: {name: Platform Lead}
purpose: {intended: Answer questions}
lifecycle: {stage: live}
classification: {category: minimal}
`)},
	}
	_, err := aims.Load(context.Background(), fsys)
	var de *document.Error
	if errors.As(err, &de) {
		for _, p := range de.Problems {
			fmt.Printf("%s %s (line %d)\n", p.File, p.Pointer, p.Line)
		}
	}
	// Output:
	// systems/bad.yaml /owner (line 5)
	// systems/bad.yaml /lifecycle/stage (line 10)
}
