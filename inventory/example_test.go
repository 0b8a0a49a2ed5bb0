package inventory_test

import (
	"fmt"

	"github.com/aimskit/aimskit/inventory"
)

func ExampleDerive() {
	// A bank deploys a credit-scoring system: Annex III point 5(b).
	c := inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "5(b)"}
	ob := inventory.Derive(c, []inventory.OperatorRole{inventory.OperatorDeployer})
	fmt.Println("high-risk:", ob.HighRisk)
	fmt.Println("FRIA required:", ob.FRIARequired)
	for _, o := range ob.List {
		fmt.Printf("%s %s, from %s\n", o.Role, o.Article, o.Applies.Amended)
	}
	// Output:
	// high-risk: true
	// FRIA required: true
	// deployer Art. 4, from 2025-02-02
	// deployer Art. 26(1), from 2027-12-02
	// deployer Art. 26(2), from 2027-12-02
	// deployer Art. 26(4), from 2027-12-02
	// deployer Art. 26(5), from 2027-12-02
	// deployer Art. 26(6), from 2027-12-02
	// deployer Art. 26(7), from 2027-12-02
	// deployer Art. 26(11), from 2027-12-02
	// deployer Art. 27, from 2027-12-02
}

func ExampleCanTransition() {
	fmt.Println(inventory.CanTransition(inventory.StageVerificationValidation, inventory.StageDeployment))
	fmt.Println(inventory.CanTransition(inventory.StageInception, inventory.StageDeployment))
	fmt.Println(inventory.StageDeployment.Next())
	// Output:
	// true
	// false
	// [operation-and-monitoring verification-and-validation retirement]
}

func ExampleClassify() {
	// Emotion recognition of call-centre employees: the workplace makes it
	// a prohibited practice unless it is for medical or safety reasons.
	d := inventory.Classify(inventory.Facts{
		Capabilities: []inventory.Capability{inventory.CapabilityEmotionRecognition},
		Contexts:     []inventory.Context{inventory.ContextWorkplace},
		Roles:        []inventory.OperatorRole{inventory.OperatorDeployer},
	})
	fmt.Println(d.Classification.Category, d.Classification.ProhibitedPractice)
	fmt.Println(d.Reason)
	fmt.Println("Art. 50:", d.Triggers())
	r, _ := d.Rule("Art. 4")
	fmt.Println(r)
	// Output:
	// prohibited f
	// emotion recognition in the workplace is prohibited by Art. 5(1)(f) unless for medical or safety reasons
	// Art. 50: [50(3)]
	// not applied  Art. 4: no AI literacy duty: a prohibited system may not be used at all
}

func ExampleDerivation_Contradictions() {
	// A general-purpose AI model trained with more than 10^25 FLOP,
	// stated without systemic risk.
	d := inventory.Classify(inventory.Facts{GeneralPurposeModel: true, TrainingComputeFLOP: 3e25})
	fmt.Println(d.Contradictions(inventory.Classification{Category: inventory.CategoryGPAI}))
	// Output:
	// /category: stated gpai-model, but training compute of 3e+25 FLOP exceeds 10^25: high-impact capabilities are presumed, so the model has systemic risk (Art. 51(1)(a))
}
