package controls

// Sources of the built-in mappings.
const (
	sourceNIST       = "NIST AI RMF to ISO/IEC 42001 Crosswalk (Microsoft, published by NIST)"
	sourceDerived    = "aimskit"
	sourceKVeriAI    = "aimskit; agrees with the K-VeriAI harmonized-control table"
	sourceThomasMore = "aimskit; agrees with the ThomasMoreAI/legal-skills-open EU AI Act to ISO/IEC 42001 crosswalk"
)

// nistAnnexA maps each Annex A control to the NIST AI RMF subcategories
// that the official crosswalk links to its Annex B guidance (B numbers equal
// Annex A numbers). The crosswalk maps subcategories to 42001; these rows
// read it the other way round, with ranges written out.
var nistAnnexA = []struct {
	from ID
	to   []string
}{
	{"iso42001:A.2.2", []string{"GV1.1", "GV1.2", "MP4.1"}},
	{"iso42001:A.2.3", []string{"MS2.7", "MS2.10"}},
	{"iso42001:A.2.4", []string{"GV1.1"}},
	{"iso42001:A.3.2", []string{"GV2.1", "GV3.2", "MS2.7"}},
	{"iso42001:A.3.3", []string{"MG2.2"}},
	{"iso42001:A.4.2", []string{"GV1.6", "MP2.1", "MS2.1", "MG2.1"}},
	{"iso42001:A.4.3", []string{"GV1.6", "MP2.1"}},
	{"iso42001:A.4.4", []string{"GV1.6", "MP2.1", "MG3.2"}},
	{"iso42001:A.4.5", []string{"GV1.6", "MP2.1", "MS2.12"}},
	{"iso42001:A.4.6", []string{"GV1.6", "GV3.1", "GV3.2", "MP1.2", "MP2.1", "MP3.4"}},
	{"iso42001:A.5.2", []string{"GV4.1", "MP1.1", "MP1.4", "MP3.1", "MP3.2", "MP3.3", "MP5.1", "MS1.2", "MS1.3", "MS2.7", "MS2.10"}},
	{"iso42001:A.5.3", []string{"GV3.2", "GV5.1", "MP1.1", "MP3.1", "MP3.2", "MP3.3", "MG1.4"}},
	{"iso42001:A.5.4", []string{"GV3.1", "GV4.1", "GV4.2", "GV5.1", "GV5.2", "MP1.1", "MP1.6", "MP3.1", "MP3.2", "MP3.3", "MS1.2", "MS1.3", "MS2.8", "MS2.11", "MS4.1", "MG1.4"}},
	{"iso42001:A.5.5", []string{"GV4.2", "GV5.2", "MP1.1", "MP1.6", "MP3.1", "MP3.2", "MP3.3", "MS1.2", "MS1.3", "MS2.8", "MS2.11", "MS2.12", "MS4.1"}},
	{"iso42001:A.6.1.2", []string{"GV1.2", "GV4.1", "GV4.3", "MS2.7", "MS2.8", "MG2.2"}},
	{"iso42001:A.6.1.3", []string{"GV1.2", "GV3.2", "GV4.1", "GV4.3", "GV5.2", "MP2.3", "MP3.5", "MP5.2", "MG1.1", "MG2.2", "MG2.4"}},
	{"iso42001:A.6.2.2", []string{"MP1.4", "MP1.6"}},
	{"iso42001:A.6.2.3", []string{"MP2.1", "MS2.7"}},
	{"iso42001:A.6.2.4", []string{"GV4.3", "MP2.3", "MS1.2", "MS2.1", "MS2.2", "MS2.5", "MS2.6", "MS2.13", "MS4.1", "MG1.1", "MG2.2", "MG4.2"}},
	{"iso42001:A.6.2.5", []string{"MS2.5", "MS2.9"}},
	{"iso42001:A.6.2.6", []string{"GV1.7", "GV4.3", "GV5.2", "MP5.2", "MS2.3", "MS2.4", "MS2.6", "MS2.13", "MS3.2", "MS4.3", "MG2.2", "MG3.2", "MG4.1", "MG4.2", "MG4.3"}},
	{"iso42001:A.6.2.7", []string{"GV4.3", "MP2.2", "MP2.3", "MP3.5", "MP4.2", "MS2.1", "MS2.5", "MS2.9", "MS4.3", "MG1.4", "MG2.4"}},
	{"iso42001:A.6.2.8", []string{"MS2.4", "MS2.6", "MS3.2"}},
	{"iso42001:A.7.2", []string{"MP2.3", "MS2.7", "MS2.8", "MS2.10", "MG2.2"}},
	{"iso42001:A.7.3", []string{"MP2.3", "MS2.10"}},
	{"iso42001:A.7.4", []string{"MP2.3", "MS2.3"}},
	{"iso42001:A.7.5", []string{"MP2.3", "MS2.9"}},
	{"iso42001:A.7.6", []string{"MP2.3"}},
	{"iso42001:A.8.2", []string{"GV4.3", "MP2.2", "MP3.5", "MP4.2", "MS2.5", "MS2.9", "MS3.3", "MS4.2", "MG1.4", "MG2.4"}},
	{"iso42001:A.8.3", []string{"GV4.3", "GV5.1", "GV5.2", "MP5.2", "MS3.3", "MS4.2", "MG4.1"}},
	{"iso42001:A.8.4", []string{"GV4.3", "MS2.1", "MS3.3"}},
	{"iso42001:A.8.5", []string{"GV4.2", "GV4.3", "MG4.3"}},
	{"iso42001:A.9.2", []string{"GV4.1", "MP4.1", "MG1.1"}},
	{"iso42001:A.9.3", []string{"GV1.2", "GV3.2", "GV4.1", "MP2.2", "MS2.7", "MS2.8", "MG1.1"}},
	{"iso42001:A.9.4", []string{"MP1.4", "MP4.1", "MG1.1", "MG2.4"}},
	{"iso42001:A.10.2", []string{"GV6.1", "GV6.2", "MG3.1"}},
	{"iso42001:A.10.3", []string{"GV1.2", "GV4.1", "GV6.1", "GV6.2", "MP4.2", "MG3.1"}},
	{"iso42001:A.10.4", []string{"GV5.1", "GV5.2", "MP1.4", "MG4.1"}},
}

// nistClauses maps clauses of ISO/IEC 42001 to NIST AI RMF subcategories,
// from the same official crosswalk.
var nistClauses = []struct {
	from ID
	to   []string
}{
	{"iso42001:4.1", []string{"GV1.1", "MP1.3", "MP1.4", "MP4.1"}},
	{"iso42001:4.3", []string{"MP3.3"}},
	{"iso42001:4.4", []string{"GV1.2", "MS3.1"}},
	{"iso42001:5.1", []string{"GV2.3", "MP1.4"}},
	{"iso42001:5.2", []string{"GV1.2", "GV2.3", "MP1.3"}},
	{"iso42001:5.3", []string{"GV2.1"}},
	{"iso42001:6.1.1", []string{"GV1.3", "MP1.5", "MS1.1", "MG1.3", "MG2.3"}},
	{"iso42001:6.1.2", []string{"GV1.3", "GV1.4", "MP5.1", "MS1.1", "MS1.3", "MS2.8", "MG1.2", "MG1.3", "MG2.3"}},
	{"iso42001:6.1.3", []string{"GV1.3", "GV1.4", "MG1.2", "MG1.3", "MG2.3"}},
	{"iso42001:6.1.4", []string{"GV4.2", "MP1.1", "MG1.2", "MG1.3"}},
	{"iso42001:6.2", []string{"GV1.1", "MP1.3"}},
	{"iso42001:7.1", []string{"GV2.1", "MG2.1", "MG2.2"}},
	{"iso42001:7.2", []string{"GV2.1", "GV2.2", "GV3.2", "MP1.2", "MP3.4"}},
	{"iso42001:7.3", []string{"GV2.1", "MP1.3"}},
	{"iso42001:7.4", []string{"GV2.1", "GV4.2", "MP1.3"}},
	{"iso42001:7.5.3", []string{"MP1.3"}},
	{"iso42001:8.2", []string{"GV1.5", "MP3.2", "MS2.6", "MS3.1"}},
	{"iso42001:8.3", []string{"GV1.4", "GV1.5", "MP3.2"}},
	{"iso42001:8.4", []string{"GV1.5", "MP3.2", "MS3.1"}},
	{"iso42001:9.1", []string{"GV2.1", "MS2.4", "MS4.1", "MS4.2"}},
	{"iso42001:9.2.1", []string{"MS4.2", "MG4.1"}},
	{"iso42001:9.2.2", []string{"MS1.3"}},
	{"iso42001:9.3.1", []string{"GV2.3", "MS4.3"}},
	{"iso42001:9.3.2", []string{"GV2.3", "MG4.3"}},
	{"iso42001:9.3.3", []string{"GV2.3", "MG1.2", "MG4.2"}},
	{"iso42001:10.1", []string{"MS3.2", "MG2.2"}},
	{"iso42001:10.2", []string{"MG2.3"}},
}

// nistNotes explains rows where the crosswalk has a misprint.
var nistNotes = map[[2]string]string{
	{"iso42001:A.3.2", "GV3.2"}:  "the crosswalk prints B.3.2 as \"Management review inputs\"; read as B.3.2 AI roles and responsibilities",
	{"iso42001:A.10.4", "MP1.4"}: "the crosswalk prints \"B.2.2 Customers\"; read as B.10.4 Customers",
}

type euRow struct {
	to     string
	source string
	note   string
}

// euAnnexA maps Annex A controls to EU AI Act provisions. The mapping is
// derived by aimskit; rows whose source names a secondary crosswalk agree
// with that crosswalk.
var euAnnexA = []struct {
	from ID
	rows []euRow
}{
	{"iso42001:A.2.2", []euRow{
		{"Art. 17(1)(a)", sourceKVeriAI, "regulatory compliance strategy of the quality management system"},
		{"Art. 17(1)(m)", sourceKVeriAI, "accountability framework"},
		{"Art. 5", sourceThomasMore, "policy screens out prohibited practices"},
		{"Art. 4", sourceDerived, "AI literacy"},
	}},
	{"iso42001:A.2.3", []euRow{
		{"Art. 17", sourceDerived, "AI policy integrated with the quality management system"},
		{"Art. 26(9)", sourceDerived, "link to the GDPR data protection impact assessment"},
		{"Art. 10(5)", sourceDerived, "special categories of personal data, read with the GDPR"},
		{"Art. 4a", sourceDerived, "special categories of personal data for bias correction, as amended in 2026"},
	}},
	{"iso42001:A.2.4", []euRow{
		{"Art. 17", sourceKVeriAI, "quality management system kept current"},
	}},
	{"iso42001:A.3.2", []euRow{
		{"Art. 17(1)(m)", sourceDerived, "accountability framework"},
		{"Art. 26(2)", sourceDerived, "human oversight assigned to competent people"},
		{"Art. 16", sourceKVeriAI, "provider obligations"},
		{"Art. 22", sourceKVeriAI, "authorised representative"},
	}},
	{"iso42001:A.3.3", []euRow{
		{"Art. 87", sourceDerived, "protection of persons reporting infringements"},
		{"Art. 26(5)", sourceDerived, "deployer informs provider of risks"},
	}},
	{"iso42001:A.4.2", []euRow{
		{"Art. 11", sourceDerived, "technical documentation"},
		{"Annex IV §1", sourceDerived, "general description"},
		{"Annex IV §2", sourceDerived, "elements and development process"},
		{"Art. 49", sourceKVeriAI, "registration data"},
	}},
	{"iso42001:A.4.3", []euRow{
		{"Art. 10", sourceKVeriAI, "data and data governance"},
		{"Annex IV §2(d)", sourceKVeriAI, "data requirements and datasheets"},
	}},
	{"iso42001:A.4.4", []euRow{
		{"Annex IV §2(a)", sourceDerived, "pre-trained systems and third-party tools"},
	}},
	{"iso42001:A.4.5", []euRow{
		{"Annex IV §1(e)", sourceDerived, "hardware the system runs on"},
		{"Annex IV §2", sourceDerived, "computational resources"},
		{"Art. 13(3)(e)", sourceDerived, "compute and hardware needs in the instructions for use"},
	}},
	{"iso42001:A.4.6", []euRow{
		{"Art. 4", sourceDerived, "AI literacy"},
		{"Art. 26(2)", sourceDerived, "competent, trained overseers"},
		{"Art. 17(1)(l)", sourceKVeriAI, "resource management"},
	}},
	{"iso42001:A.5.2", []euRow{
		{"Art. 27", sourceKVeriAI, "fundamental rights impact assessment"},
		{"Art. 6", sourceThomasMore, "high-risk classification"},
		{"Annex III", sourceThomasMore, "high-risk use cases"},
		{"Art. 9(2)(a)", sourceDerived, "identify and analyse foreseeable risks"},
		{"Art. 9(9)", sourceDerived, "minors and other vulnerable groups"},
	}},
	{"iso42001:A.5.3", []euRow{
		{"Art. 27(3)", sourceDerived, "notify the results to the market surveillance authority"},
		{"Art. 27(2)", sourceDerived, "keep the assessment up to date"},
	}},
	{"iso42001:A.5.4", []euRow{
		{"Art. 27(1)(c)", sourceKVeriAI, "categories of persons and groups affected"},
		{"Art. 27(1)(d)", sourceKVeriAI, "specific risks of harm"},
		{"Art. 9(9)", sourceDerived, "minors and other vulnerable groups"},
		{"Art. 10(2)(f)", sourceDerived, "examination for biases"},
		{"Art. 10(2)(g)", sourceDerived, "measures against biases"},
		{"Art. 5", sourceThomasMore, "prohibited practices"},
	}},
	{"iso42001:A.5.5", []euRow{
		{"Art. 27", sourceDerived, "fundamental rights impact assessment"},
		{"Art. 55(1)(b)", sourceDerived, "systemic risks at Union level"},
		{"Annex III 8(b)", sourceDerived, "influence on elections and voting"},
		{"Art. 5", sourceThomasMore, "prohibited practices"},
	}},
	{"iso42001:A.6.1.2", []euRow{
		{"Art. 8", sourceDerived, "compliance with the high-risk requirements"},
		{"Art. 14(1)", sourceDerived, "human oversight by design"},
		{"Art. 15(1)", sourceDerived, "accuracy, robustness and cybersecurity by design"},
	}},
	{"iso42001:A.6.1.3", []euRow{
		{"Art. 17(1)(b)", sourceDerived, "design, design control and verification"},
		{"Art. 17(1)(c)", sourceDerived, "development, quality control and assurance"},
		{"Art. 9", sourceDerived, "risk management system"},
	}},
	{"iso42001:A.6.2.2", []euRow{
		{"Art. 8", sourceDerived, "high-risk requirements as system requirements"},
		{"Art. 9", sourceDerived, "high-risk requirements as system requirements"},
		{"Art. 10", sourceDerived, "high-risk requirements as system requirements"},
		{"Art. 11", sourceDerived, "high-risk requirements as system requirements"},
		{"Art. 12", sourceDerived, "high-risk requirements as system requirements"},
		{"Art. 13", sourceDerived, "high-risk requirements as system requirements"},
		{"Art. 14", sourceDerived, "high-risk requirements as system requirements"},
		{"Art. 15", sourceDerived, "high-risk requirements as system requirements"},
		{"Annex IV §2(b)", sourceDerived, "design specifications"},
	}},
	{"iso42001:A.6.2.3", []euRow{
		{"Art. 11", sourceKVeriAI, "technical documentation"},
		{"Annex IV §2", sourceKVeriAI, "elements and development process"},
	}},
	{"iso42001:A.6.2.4", []euRow{
		{"Art. 9(6)", sourceDerived, "testing of high-risk systems"},
		{"Art. 9(7)", sourceDerived, "testing, which may include real-world conditions"},
		{"Art. 9(8)", sourceDerived, "testing against predefined metrics and thresholds"},
		{"Art. 15", sourceDerived, "accuracy, robustness and cybersecurity"},
		{"Art. 17(1)(d)", sourceDerived, "examination, test and validation procedures"},
		{"Art. 60", sourceDerived, "testing in real-world conditions"},
		{"Art. 55(1)(a)", sourceKVeriAI, "model evaluation and adversarial testing"},
	}},
	{"iso42001:A.6.2.5", []euRow{
		{"Art. 43", sourceKVeriAI, "conformity assessment"},
		{"Art. 47", sourceKVeriAI, "EU declaration of conformity"},
		{"Art. 48", sourceKVeriAI, "CE marking"},
		{"Art. 49", sourceKVeriAI, "registration"},
		{"Art. 16", sourceDerived, "provider obligations"},
	}},
	{"iso42001:A.6.2.6", []euRow{
		{"Art. 72", sourceKVeriAI, "post-market monitoring"},
		{"Art. 26(5)", sourceDerived, "deployer monitoring and suspension"},
		{"Art. 20", sourceDerived, "corrective actions"},
	}},
	{"iso42001:A.6.2.7", []euRow{
		{"Art. 11", sourceDerived, "technical documentation"},
		{"Annex IV", sourceDerived, "content of the technical documentation"},
		{"Art. 18", sourceDerived, "keeping the documentation"},
		{"Art. 53(1)(a)", sourceKVeriAI, "technical documentation of general-purpose AI models"},
		{"Art. 53(1)(b)", sourceKVeriAI, "information for downstream providers"},
		{"Annex XI", sourceKVeriAI, "documentation of general-purpose AI models"},
		{"Annex XII", sourceKVeriAI, "information for downstream providers"},
	}},
	{"iso42001:A.6.2.8", []euRow{
		{"Art. 12", sourceDerived, "record-keeping by automatic logging"},
		{"Art. 19", sourceDerived, "provider keeps the logs"},
		{"Art. 26(6)", sourceKVeriAI, "deployer keeps the logs"},
	}},
	{"iso42001:A.7.2", []euRow{
		{"Art. 10(1)", sourceDerived, "quality criteria for training, validation and test data"},
		{"Art. 10(2)", sourceDerived, "data governance practices"},
		{"Art. 10(3)", sourceDerived, "relevant, representative and complete data"},
		{"Art. 17(1)(f)", sourceKVeriAI, "data management"},
	}},
	{"iso42001:A.7.3", []euRow{
		{"Art. 10(2)(b)", sourceDerived, "data collection and origin"},
		{"Art. 53(1)(c)", sourceDerived, "copyright policy and text and data mining opt-outs"},
	}},
	{"iso42001:A.7.4", []euRow{
		{"Art. 10(3)", sourceKVeriAI, "relevant, representative and complete data"},
		{"Art. 10(4)", sourceKVeriAI, "context of use reflected in the data"},
	}},
	{"iso42001:A.7.5", []euRow{
		{"Art. 10(2)(b)", sourceDerived, "data collection and origin"},
		{"Annex IV §2(d)", sourceDerived, "data provenance in the technical documentation"},
		{"Art. 53(1)(d)", sourceDerived, "summary of training content"},
	}},
	{"iso42001:A.7.6", []euRow{
		{"Art. 10(2)(c)", sourceDerived, "annotation, labelling, cleaning and other preparation"},
	}},
	{"iso42001:A.8.2", []euRow{
		{"Art. 13", sourceKVeriAI, "instructions for use"},
		{"Art. 50(1)", sourceDerived, "telling people they interact with AI"},
	}},
	{"iso42001:A.8.3", []euRow{
		{"Art. 27(1)(f)", sourceDerived, "complaint mechanisms"},
		{"Art. 85", sourceDerived, "complaints to the market surveillance authority"},
		{"Art. 86", sourceKVeriAI, "right to an explanation"},
	}},
	{"iso42001:A.8.4", []euRow{
		{"Art. 73", sourceKVeriAI, "reporting of serious incidents"},
		{"Art. 26(5)", sourceDerived, "deployer informs of serious incidents"},
		{"Art. 55(1)(c)", sourceDerived, "serious incidents of models with systemic risk"},
		{"Art. 20", sourceDerived, "corrective actions and duty of information"},
	}},
	{"iso42001:A.8.5", []euRow{
		{"Art. 50", sourceDerived, "transparency obligations"},
		{"Art. 26(7)", sourceDerived, "informing workers"},
		{"Art. 26(11)", sourceDerived, "informing affected persons"},
		{"Art. 49", sourceKVeriAI, "registration"},
		{"Art. 71", sourceKVeriAI, "EU database"},
	}},
	{"iso42001:A.9.2", []euRow{
		{"Art. 26(1)", sourceKVeriAI, "use according to the instructions"},
		{"Art. 4", sourceDerived, "AI literacy"},
	}},
	{"iso42001:A.9.3", []euRow{
		{"Art. 26", sourceDerived, "deployer obligations"},
		{"Art. 14", sourceDerived, "human oversight"},
	}},
	{"iso42001:A.9.4", []euRow{
		{"Art. 26(1)", sourceDerived, "use according to the instructions"},
		{"Art. 3(12)", sourceDerived, "intended purpose"},
		{"Art. 3(13)", sourceDerived, "reasonably foreseeable misuse"},
		{"Art. 25(1)(c)", sourceDerived, "changing the intended purpose makes the deployer a provider"},
		{"Art. 6(3)", sourceDerived, "derogation judged against the intended purpose"},
	}},
	{"iso42001:A.10.2", []euRow{
		{"Art. 25", sourceKVeriAI, "responsibilities along the value chain, including the written agreement of Art. 25(4)"},
	}},
	{"iso42001:A.10.3", []euRow{
		{"Art. 25(4)", sourceDerived, "written agreement with suppliers"},
		{"Art. 53(1)(b)", sourceKVeriAI, "information from model providers downstream"},
	}},
	{"iso42001:A.10.4", []euRow{
		{"Art. 13", sourceDerived, "information for deployers"},
		{"Art. 26", sourceDerived, "deployer obligations"},
	}},
}
