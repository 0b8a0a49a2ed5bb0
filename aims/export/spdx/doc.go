// Package spdx exports the AI system inventory of a governance folder
// ([aims.Snapshot]) as an SPDX 3.0.1 JSON-LD document in the AI and
// Dataset profiles, for supply-chain tools that read SPDX 3.
//
// The document ([Context], [SpecVersion], media type [MediaType]) holds an
// @graph of one CreationInfo (a blank node that every element names), the
// SpdxDocument (its rootElement the AI systems, its element every other
// element), the aimskit Tool the document was created with, and the agent
// it was created by: the organisation of the folder's ManagementSystem,
// or an aimskit SoftwareAgent when the folder has none.
//
// [Export] maps the inventory (ISO/IEC 42001 A.4 resources, A.6.2.2
// requirements, A.9.4 intended use) as follows.
//
// Each AI system is an ai_AIPackage (software_primaryPurpose
// "application"): name, description, software_packageVersion; releaseTime
// the date of its latest move to deployment in the life-cycle history;
// suppliedBy the organisation when it is the system's provider; and the
// AI profile's fields the inventory fills:
//
//   - ai_autonomyType from purpose.autonomy ([AutonomyType]): "yes"
//     (fully automated) for autonomous, "no" (a human is involved in the
//     decisions) for decision-support, human-in-the-loop and
//     human-on-the-loop, "noAssertion" when not stated.
//   - ai_domain: the titles of the EU AI Act Annex III areas of the
//     system's classification and facts, and the deployment contexts of
//     its facts (e.g. "workplace").
//   - ai_informationAboutApplication: intended purpose, users, affected
//     persons, countries, languages and setting, autonomy and the
//     human-oversight mechanism.
//   - ai_informationAboutTraining: the training, validation and test data
//     sets with their source and provenance, and the tooling.
//   - ai_limitation: the foreseeable misuse and the known biases of the
//     data sets.
//   - ai_metric and ai_metricDecisionThreshold: one entry per monitoring
//     threshold (A.6.2.6), the metric as key, and its suspension maximum as
//     the threshold's value.
//   - ai_safetyRiskAssessment from the EU AI Act category of the
//     classification ([SafetyRisk]): prohibited is "serious"; high-risk and
//     a general-purpose AI model with systemic risk are "high"; an Annex
//     III use not high-risk under Art. 6(3) is "medium" (a listed use,
//     judged by the provider's own assessment); minimal is "low"; a
//     general-purpose AI model without systemic risk and an unclassified
//     system get none. SPDX defines the scale after the EU general product
//     safety risk methodology, which differs from the AI Act's classes;
//     the mapping is aimskit's and only orders the AI Act categories onto
//     that scale. The classification itself is in the element's comment.
//   - ai_standardCompliance: [Standard] (ISO/IEC 42001:2023) when the
//     folder has a Statement of Applicability.
//   - ai_typeOfModel: the kinds of its models.
//   - ai_useSensitivePersonalInformation: "yes" when one of its data sets
//     holds personal data; left out otherwise, since the inventory does
//     not tell "none" from "not stated".
//
// Hyperparameters, explainability and preprocessing are never written:
// the inventory does not hold them.
//
// Each model is an ai_AIPackage too (software_primaryPurpose "model"),
// with its version, SHA-256 digest (verifiedUsing), kind (ai_typeOfModel),
// supplier (its provider, or the organisation for an in-house model) and
// licence (in comment: the inventory's licence names are not SPDX licence
// expressions), and ai_energyConsumption from its declared energy
// ([inventory.Energy]: training, fine-tuning and inference, each one
// ai_EnergyConsumptionDescription in kilowattHour). Each data set is a dataset_DatasetPackage
// (software_primaryPurpose "data") with its digest,
// dataset_dataCollectionProcess (source and provenance), dataset_intendedUse
// (its purpose), dataset_knownBias, dataset_hasSensitivePersonalInformation
// "yes" for personal data (the categories in comment), and
// dataset_datasetType "noAssertion", which the profile requires and the
// inventory does not record. Each governance document the system is
// described in (its inventory entry, risk and impact assessments, the
// Statement of Applicability) is a software_File (software_primaryPurpose
// "documentation") named by its file with its SHA-256 digest, so that the
// document can be tied to the exact documented information it was built
// from (7.5.3).
//
// Relationships, one per source element and type: a system contains its
// in-house models and dependsOn its other models and its production
// data; each model trainedOn the training data sets and testedOn the
// validation and test data sets of its system (the inventory does not say
// which model used which data set, so every model of a system is related
// to all of them; a system without models is related itself); a system
// hasDocumentation its governance documents.
//
// Element ids (spdxId) are URIs under [Options.Namespace] (default
// [DefaultNamespace]), made from the system id and the names in the
// inventory: NS "system/" ID for a system, then "/model/" NAME "@"
// VERSION, "/dataset/" NAME; NS "governance/sha256:" DIGEST for a
// governance document, NS "agent/" NAME for an organisation, NS
// "tool/aimskit" for the tool, and FROM "/relationship/" TYPE for a
// relationship. The SpdxDocument's id ends in a UUID derived from the
// namespace, the systems, the governance documents' digests and the
// creation time. The output is a deterministic function of the folder
// and [Options]: no random values.
//
// The export is documented information about the AI management system
// (ISO/IEC 42001 7.5), meant as information for users and other
// interested parties (A.8.2, A.8.5) and for customers and suppliers
// (A.10.3, A.10.4): it carries the resource documentation of A.4.2 (the
// models, the data resources of A.4.3, the tooling of A.4.4), the data
// provenance of A.7.5 and the known biases that bear on the quality of
// data (A.7.4), the intended use of A.9.4 and the requirements of
// A.6.2.2 (autonomy, oversight), as part of the technical documentation
// of A.6.2.7.
//
// # Errors
//
// [Export] returns [ErrNoFolder] for a nil folder, an error matching
// [aims.ErrUnknownSystem] when [Options.System] is not in the folder, and
// one matching [ErrNamespace] when [Options.Namespace] is not an absolute
// URI.
//
// # Concurrency
//
// [Export] only reads the folder; several exports of one folder may run
// at once, provided nothing modifies the folder meanwhile.
//
// # Stability
//
// The package is at v0. The JSON-LD it writes follows the SPDX 3.0.1 JSON
// Schema; the id scheme, the mapping above and the text of the free-text
// fields may still change.
package spdx
