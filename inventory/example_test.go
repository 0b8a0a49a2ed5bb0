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
