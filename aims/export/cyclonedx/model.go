package cyclonedx

// The types below are the subset of the CycloneDX 1.6 and 1.7 JSON formats
// that [Export] emits. Field names follow bom-1.6.schema.json and
// bom-1.7.schema.json; citations are 1.7 only.

type bom struct {
	BOMFormat    string        `json:"bomFormat"`
	SpecVersion  string        `json:"specVersion"`
	SerialNumber string        `json:"serialNumber"`
	Version      int           `json:"version"`
	Metadata     metadata      `json:"metadata"`
	Components   []component   `json:"components,omitempty"`
	Dependencies []dependency  `json:"dependencies,omitempty"`
	Definitions  *definitions  `json:"definitions,omitempty"`
	Declarations *declarations `json:"declarations,omitempty"`
	Citations    []citation    `json:"citations,omitempty"`
}

// citation attributes the BOM fields at Pointers to the aimskit tool,
// which took them from the governance document field named in Note.
type citation struct {
	Pointers     []string `json:"pointers"`
	Timestamp    string   `json:"timestamp"`
	AttributedTo string   `json:"attributedTo"`
	Note         string   `json:"note"`
}

type metadata struct {
	Timestamp  string     `json:"timestamp"`
	Tools      *tools     `json:"tools,omitempty"`
	Component  component  `json:"component"`
	Properties []property `json:"properties,omitempty"`
}

type tools struct {
	Components []component `json:"components"`
}

type component struct {
	Type        string          `json:"type"`
	BOMRef      string          `json:"bom-ref,omitempty"`
	Supplier    *organization   `json:"supplier,omitempty"`
	Name        string          `json:"name"`
	Version     string          `json:"version,omitempty"`
	Description string          `json:"description,omitempty"`
	Hashes      []hash          `json:"hashes,omitempty"`
	Licenses    []licenseChoice `json:"licenses,omitempty"`
	Properties  []property      `json:"properties,omitempty"`
	ModelCard   *modelCard      `json:"modelCard,omitempty"`
	Data        []componentData `json:"data,omitempty"`
}

type organization struct {
	Name string `json:"name"`
}

type contact struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

type hash struct {
	Alg     string `json:"alg"`
	Content string `json:"content"`
}

type licenseChoice struct {
	License license `json:"license"`
}

type license struct {
	Name string `json:"name"`
}

type property struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type modelCard struct {
	BOMRef          string           `json:"bom-ref,omitempty"`
	ModelParameters *modelParameters `json:"modelParameters,omitempty"`
	Considerations  *considerations  `json:"considerations,omitempty"`
	Properties      []property       `json:"properties,omitempty"`
}

type modelParameters struct {
	ArchitectureFamily string        `json:"architectureFamily,omitempty"`
	Datasets           []datasetLink `json:"datasets,omitempty"`
}

type datasetLink struct {
	Ref string `json:"ref"`
}

type considerations struct {
	Users                 []string   `json:"users,omitempty"`
	UseCases              []string   `json:"useCases,omitempty"`
	TechnicalLimitations  []string   `json:"technicalLimitations,omitempty"`
	EthicalConsiderations []risk     `json:"ethicalConsiderations,omitempty"`
	FairnessAssessments   []fairness `json:"fairnessAssessments,omitempty"`
}

type risk struct {
	Name               string `json:"name,omitempty"`
	MitigationStrategy string `json:"mitigationStrategy,omitempty"`
}

type fairness struct {
	GroupAtRisk string `json:"groupAtRisk,omitempty"`
	Harms       string `json:"harms,omitempty"`
}

type componentData struct {
	Type           string          `json:"type"`
	Name           string          `json:"name,omitempty"`
	Description    string          `json:"description,omitempty"`
	Classification string          `json:"classification,omitempty"`
	SensitiveData  []string        `json:"sensitiveData,omitempty"`
	Contents       *dataContents   `json:"contents,omitempty"`
	Governance     *dataGovernance `json:"governance,omitempty"`
}

type dataContents struct {
	URL        string     `json:"url,omitempty"`
	Properties []property `json:"properties,omitempty"`
}

type dataGovernance struct {
	Owners     []responsibleParty `json:"owners,omitempty"`
	Custodians []responsibleParty `json:"custodians,omitempty"`
	Stewards   []responsibleParty `json:"stewards,omitempty"`
}

type responsibleParty struct {
	Organization *organization `json:"organization,omitempty"`
	Contact      *contact      `json:"contact,omitempty"`
}

type dependency struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"dependsOn,omitempty"`
}

type definitions struct {
	Standards []standard `json:"standards"`
}

type standard struct {
	BOMRef       string        `json:"bom-ref"`
	Name         string        `json:"name"`
	Version      string        `json:"version,omitempty"`
	Description  string        `json:"description,omitempty"`
	Owner        string        `json:"owner,omitempty"`
	Requirements []requirement `json:"requirements"`
}

type requirement struct {
	BOMRef       string     `json:"bom-ref"`
	Identifier   string     `json:"identifier"`
	Title        string     `json:"title,omitempty"`
	Descriptions []string   `json:"descriptions,omitempty"`
	Parent       string     `json:"parent,omitempty"`
	Properties   []property `json:"properties,omitempty"`
}

type declarations struct {
	Assessors    []assessor    `json:"assessors,omitempty"`
	Attestations []attestation `json:"attestations,omitempty"`
	Claims       []claim       `json:"claims,omitempty"`
	Evidence     []evidence    `json:"evidence,omitempty"`
}

type assessor struct {
	BOMRef       string        `json:"bom-ref"`
	ThirdParty   bool          `json:"thirdParty"`
	Organization *organization `json:"organization,omitempty"`
}

type attestation struct {
	Summary  string           `json:"summary,omitempty"`
	Assessor string           `json:"assessor,omitempty"`
	Map      []attestationMap `json:"map"`
}

type attestationMap struct {
	Requirement   string       `json:"requirement"`
	Claims        []string     `json:"claims,omitempty"`
	CounterClaims []string     `json:"counterClaims,omitempty"`
	Conformance   *conformance `json:"conformance,omitempty"`
}

type conformance struct {
	Score     float64 `json:"score"`
	Rationale string  `json:"rationale,omitempty"`
}

type claim struct {
	BOMRef    string   `json:"bom-ref"`
	Target    string   `json:"target,omitempty"`
	Predicate string   `json:"predicate"`
	Reasoning string   `json:"reasoning,omitempty"`
	Evidence  []string `json:"evidence,omitempty"`
}

type evidence struct {
	BOMRef       string         `json:"bom-ref"`
	PropertyName string         `json:"propertyName,omitempty"`
	Description  string         `json:"description,omitempty"`
	Data         []evidenceData `json:"data,omitempty"`
	Created      string         `json:"created,omitempty"`
}

type evidenceData struct {
	Name     string        `json:"name,omitempty"`
	Contents *dataContents `json:"contents,omitempty"`
}
