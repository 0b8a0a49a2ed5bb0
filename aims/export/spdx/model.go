package spdx

// The types below are the subset of the SPDX 3.0.1 JSON-LD serialisation
// that [Export] emits. Property names and vocabulary values follow
// spdx-json-schema.json 3.0.1 (the Core, Software, AI and Dataset
// profiles): profile properties carry their profile's prefix ("ai_",
// "dataset_", "software_"), Core properties none.

type document struct {
	Context string `json:"@context"`
	Graph   []any  `json:"@graph"`
}

// creationInfo is the one CreationInfo of the document, a blank node that
// every element names in its creationInfo property.
type creationInfo struct {
	ID           string   `json:"@id"`
	Type         string   `json:"type"`
	SpecVersion  string   `json:"specVersion"`
	Created      string   `json:"created"`
	CreatedBy    []string `json:"createdBy"`
	CreatedUsing []string `json:"createdUsing,omitempty"`
}

// agent is a Tool, an Organization or a SoftwareAgent.
type agent struct {
	Type         string `json:"type"`
	SpdxID       string `json:"spdxId"`
	CreationInfo string `json:"creationInfo"`
	Name         string `json:"name"`
}

type spdxDocument struct {
	Type               string   `json:"type"`
	SpdxID             string   `json:"spdxId"`
	CreationInfo       string   `json:"creationInfo"`
	Name               string   `json:"name"`
	Comment            string   `json:"comment,omitempty"`
	ProfileConformance []string `json:"profileConformance"`
	RootElement        []string `json:"rootElement"`
	Element            []string `json:"element"`
}

// aiPackage is an ai_AIPackage: an AI system or one of its models.
type aiPackage struct {
	Type                            string             `json:"type"`
	SpdxID                          string             `json:"spdxId"`
	CreationInfo                    string             `json:"creationInfo"`
	Name                            string             `json:"name"`
	Description                     string             `json:"description,omitempty"`
	Comment                         string             `json:"comment,omitempty"`
	VerifiedUsing                   []hash             `json:"verifiedUsing,omitempty"`
	ReleaseTime                     string             `json:"releaseTime,omitempty"`
	SuppliedBy                      string             `json:"suppliedBy,omitempty"`
	PackageVersion                  string             `json:"software_packageVersion,omitempty"`
	PrimaryPurpose                  string             `json:"software_primaryPurpose"`
	AutonomyType                    string             `json:"ai_autonomyType,omitempty"`
	Domain                          []string           `json:"ai_domain,omitempty"`
	InformationAboutApplication     string             `json:"ai_informationAboutApplication,omitempty"`
	InformationAboutTraining        string             `json:"ai_informationAboutTraining,omitempty"`
	Limitation                      string             `json:"ai_limitation,omitempty"`
	Metric                          []dictionaryEntry  `json:"ai_metric,omitempty"`
	MetricDecisionThreshold         []dictionaryEntry  `json:"ai_metricDecisionThreshold,omitempty"`
	SafetyRiskAssessment            string             `json:"ai_safetyRiskAssessment,omitempty"`
	StandardCompliance              []string           `json:"ai_standardCompliance,omitempty"`
	TypeOfModel                     []string           `json:"ai_typeOfModel,omitempty"`
	UseSensitivePersonalInformation string             `json:"ai_useSensitivePersonalInformation,omitempty"`
	EnergyConsumption               *energyConsumption `json:"ai_energyConsumption,omitempty"`
}

// energyConsumption is an ai_EnergyConsumption, a blank node inside its
// package.
type energyConsumption struct {
	Type       string              `json:"type"`
	Training   []energyDescription `json:"ai_trainingEnergyConsumption,omitempty"`
	Finetuning []energyDescription `json:"ai_finetuningEnergyConsumption,omitempty"`
	Inference  []energyDescription `json:"ai_inferenceEnergyConsumption,omitempty"`
}

// energyDescription is an ai_EnergyConsumptionDescription.
type energyDescription struct {
	Type     string  `json:"type"`
	Quantity float64 `json:"ai_energyQuantity"`
	Unit     string  `json:"ai_energyUnit"`
}

// datasetPackage is a dataset_DatasetPackage.
type datasetPackage struct {
	Type                            string   `json:"type"`
	SpdxID                          string   `json:"spdxId"`
	CreationInfo                    string   `json:"creationInfo"`
	Name                            string   `json:"name"`
	Comment                         string   `json:"comment,omitempty"`
	VerifiedUsing                   []hash   `json:"verifiedUsing,omitempty"`
	PrimaryPurpose                  string   `json:"software_primaryPurpose"`
	DataCollectionProcess           string   `json:"dataset_dataCollectionProcess,omitempty"`
	DatasetType                     []string `json:"dataset_datasetType"`
	HasSensitivePersonalInformation string   `json:"dataset_hasSensitivePersonalInformation,omitempty"`
	IntendedUse                     string   `json:"dataset_intendedUse,omitempty"`
	KnownBias                       []string `json:"dataset_knownBias,omitempty"`
}

// file is a software_File: a governance document the export is built from.
type file struct {
	Type           string `json:"type"`
	SpdxID         string `json:"spdxId"`
	CreationInfo   string `json:"creationInfo"`
	Name           string `json:"name"`
	VerifiedUsing  []hash `json:"verifiedUsing"`
	PrimaryPurpose string `json:"software_primaryPurpose"`
	FileKind       string `json:"software_fileKind"`
}

type hash struct {
	Type      string `json:"type"`
	Algorithm string `json:"algorithm"`
	HashValue string `json:"hashValue"`
}

type dictionaryEntry struct {
	Type  string `json:"type"`
	Key   string `json:"key"`
	Value string `json:"value,omitempty"`
}

type relationship struct {
	Type             string   `json:"type"`
	SpdxID           string   `json:"spdxId"`
	CreationInfo     string   `json:"creationInfo"`
	From             string   `json:"from"`
	RelationshipType string   `json:"relationshipType"`
	To               []string `json:"to"`
}
