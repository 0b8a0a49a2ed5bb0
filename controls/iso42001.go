package controls

// The ISO/IEC 42001:2023 catalogue: identifiers and short titles as the
// standard numbers and names them, with one-line summaries written for
// aimskit. The text of the standard is not reproduced; read the standard
// (or its Annex B guidance) for what each item requires.
//
// These values are only read; every function that exposes them returns
// copies.

// objectives are the 9 control objectives of Annex A (A.2 to A.10) and the
// two sub-objectives of A.6, in the order of the standard.
var objectives = []Objective{
	{ID: "iso42001:A.2", Title: "Policies related to AI", Summary: "Management gives direction for AI through policy in line with business needs."},
	{ID: "iso42001:A.3", Title: "Internal organization", Summary: "Accountability for a responsible approach to AI is set up inside the organisation."},
	{ID: "iso42001:A.4", Title: "Resources for AI systems", Summary: "The resources behind each AI system are known, so that its risks and impacts can be understood."},
	{ID: "iso42001:A.5", Title: "Assessing impacts of AI systems", Summary: "Effects of AI systems on individuals, groups and society are assessed over the life cycle."},
	{ID: "iso42001:A.6", Title: "AI system life cycle", Summary: "AI systems are designed, built and run responsibly through their whole life cycle."},
	{ID: "iso42001:A.6.1", Parent: "iso42001:A.6", Title: "Management guidance for AI system development", Summary: "Objectives and processes for responsible design and development are set."},
	{ID: "iso42001:A.6.2", Parent: "iso42001:A.6", Title: "AI system life cycle", Summary: "Each life-cycle stage has its criteria and requirements."},
	{ID: "iso42001:A.7", Title: "Data for AI systems", Summary: "The role and effect of data on AI systems are understood and managed."},
	{ID: "iso42001:A.8", Title: "Information for interested parties of AI systems", Summary: "Interested parties get the information they need to judge risks and impacts."},
	{ID: "iso42001:A.9", Title: "Use of AI systems", Summary: "AI systems are used responsibly and as the organisation's policies say."},
	{ID: "iso42001:A.10", Title: "Third-party and customer relationships", Summary: "Responsibilities and risks stay clear when suppliers, partners or customers are involved."},
}

// annexA are the 38 controls of Annex A, in the order of the standard.
var annexA = []Control{
	{ID: "iso42001:A.2.2", Objective: "iso42001:A.2", Title: "AI policy", Summary: "Keep a documented policy for developing or using AI systems."},
	{ID: "iso42001:A.2.3", Objective: "iso42001:A.2", Title: "Alignment with other organizational policies", Summary: "Relate the AI policy to the other policies of the organisation that touch AI."},
	{ID: "iso42001:A.2.4", Objective: "iso42001:A.2", Title: "Review of the AI policy", Summary: "Review the AI policy at planned intervals so that it stays suitable and effective."},

	{ID: "iso42001:A.3.2", Objective: "iso42001:A.3", Title: "AI roles and responsibilities", Summary: "Define and assign who does what for AI."},
	{ID: "iso42001:A.3.3", Objective: "iso42001:A.3", Title: "Reporting of concerns", Summary: "Give people a way to raise concerns about AI systems at any life-cycle stage."},

	{ID: "iso42001:A.4.2", Objective: "iso42001:A.4", Title: "Resource documentation", Summary: "Identify and record the resources each AI system depends on."},
	{ID: "iso42001:A.4.3", Objective: "iso42001:A.4", Title: "Data resources", Summary: "Record the data an AI system uses."},
	{ID: "iso42001:A.4.4", Objective: "iso42001:A.4", Title: "Tooling resources", Summary: "Record the tools used to build and run an AI system."},
	{ID: "iso42001:A.4.5", Objective: "iso42001:A.4", Title: "System and computing resources", Summary: "Record the computing and system resources an AI system uses."},
	{ID: "iso42001:A.4.6", Objective: "iso42001:A.4", Title: "Human resources", Summary: "Record the people and skills an AI system needs across its life cycle."},

	{ID: "iso42001:A.5.2", Objective: "iso42001:A.5", Title: "AI system impact assessment process", Summary: "Run a defined process to assess what an AI system may cause."},
	{ID: "iso42001:A.5.3", Objective: "iso42001:A.5", Title: "Documentation of AI system impact assessments", Summary: "Keep the results of impact assessments as documented information."},
	{ID: "iso42001:A.5.4", Objective: "iso42001:A.5", Title: "Assessing AI system impact on individuals or groups of individuals", Summary: "Assess how an AI system may affect individual people and groups."},
	{ID: "iso42001:A.5.5", Objective: "iso42001:A.5", Title: "Assessing societal impacts of AI systems", Summary: "Assess how an AI system may affect society at large."},

	{ID: "iso42001:A.6.1.2", Objective: "iso42001:A.6.1", Title: "Objectives for responsible development of AI system", Summary: "Set objectives that steer the responsible development of AI systems."},
	{ID: "iso42001:A.6.1.3", Objective: "iso42001:A.6.1", Title: "Processes for responsible AI system design and development", Summary: "Define the processes for designing and developing AI systems responsibly."},
	{ID: "iso42001:A.6.2.2", Objective: "iso42001:A.6.2", Title: "AI system requirements and specification", Summary: "Specify the requirements of new AI systems and of major changes."},
	{ID: "iso42001:A.6.2.3", Objective: "iso42001:A.6.2", Title: "Documentation of AI system design and development", Summary: "Record design and development decisions against objectives and requirements."},
	{ID: "iso42001:A.6.2.4", Objective: "iso42001:A.6.2", Title: "AI system verification and validation", Summary: "Define how an AI system is verified and validated, and the criteria it must meet."},
	{ID: "iso42001:A.6.2.5", Objective: "iso42001:A.6.2", Title: "AI system deployment", Summary: "Plan deployment and meet its requirements before release."},
	{ID: "iso42001:A.6.2.6", Objective: "iso42001:A.6.2", Title: "AI system operation and monitoring", Summary: "Define what running and watching an AI system takes, including repairs, updates and support."},
	{ID: "iso42001:A.6.2.7", Objective: "iso42001:A.6.2", Title: "AI system technical documentation", Summary: "Give each group of interested parties the technical documentation it needs."},
	{ID: "iso42001:A.6.2.8", Objective: "iso42001:A.6.2", Title: "AI system recording of event logs", Summary: "Decide at which life-cycle stages event logs are kept, and keep them."},

	{ID: "iso42001:A.7.2", Objective: "iso42001:A.7", Title: "Data for development and enhancement of AI system", Summary: "Manage the data used to build and improve AI systems."},
	{ID: "iso42001:A.7.3", Objective: "iso42001:A.7", Title: "Acquisition of data", Summary: "Record how data is obtained and selected."},
	{ID: "iso42001:A.7.4", Objective: "iso42001:A.7", Title: "Quality of data for AI systems", Summary: "Set quality requirements for data and make sure the data meets them."},
	{ID: "iso42001:A.7.5", Objective: "iso42001:A.7", Title: "Data provenance", Summary: "Record where data comes from and how it changed over time."},
	{ID: "iso42001:A.7.6", Objective: "iso42001:A.7", Title: "Data preparation", Summary: "Define how data is prepared and with which methods."},

	{ID: "iso42001:A.8.2", Objective: "iso42001:A.8", Title: "System documentation and information for users", Summary: "Give users the documentation and information they need."},
	{ID: "iso42001:A.8.3", Objective: "iso42001:A.8", Title: "External reporting", Summary: "Let interested parties report adverse effects of an AI system."},
	{ID: "iso42001:A.8.4", Objective: "iso42001:A.8", Title: "Communication of incidents", Summary: "Plan how incidents are communicated to users and others concerned."},
	{ID: "iso42001:A.8.5", Objective: "iso42001:A.8", Title: "Information for interested parties", Summary: "Meet the duties to report information about AI systems to interested parties."},

	{ID: "iso42001:A.9.2", Objective: "iso42001:A.9", Title: "Processes for responsible use of AI systems", Summary: "Define how AI systems are used responsibly."},
	{ID: "iso42001:A.9.3", Objective: "iso42001:A.9", Title: "Objectives for responsible use of AI system", Summary: "Set objectives that steer the responsible use of AI systems."},
	{ID: "iso42001:A.9.4", Objective: "iso42001:A.9", Title: "Intended use of the AI system", Summary: "Use AI systems as intended and as documented."},

	{ID: "iso42001:A.10.2", Objective: "iso42001:A.10", Title: "Allocating responsibilities", Summary: "Share out responsibilities with partners, suppliers and customers over the life cycle."},
	{ID: "iso42001:A.10.3", Objective: "iso42001:A.10", Title: "Suppliers", Summary: "Make sure what suppliers deliver fits the organisation's responsible approach to AI."},
	{ID: "iso42001:A.10.4", Objective: "iso42001:A.10", Title: "Customers", Summary: "Take customers' needs and expectations into account in the responsible approach to AI."},
}

// clauses are the requirement clauses 4 to 10 of ISO/IEC 42001, with their
// sub-clauses, in the order of the standard.
var clauses = []Clause{
	{ID: "iso42001:4", Title: "Context of the organization", Summary: "Understand the organisation, its interested parties and the reach of the AIMS."},
	{ID: "iso42001:4.1", Parent: "iso42001:4", Title: "Understanding the organization and its context", Summary: "Work out the internal and external issues and the organisation's roles toward AI systems."},
	{ID: "iso42001:4.2", Parent: "iso42001:4", Title: "Understanding the needs and expectations of interested parties", Summary: "Work out which parties matter and what they require."},
	{ID: "iso42001:4.3", Parent: "iso42001:4", Title: "Determining the scope of the AI management system", Summary: "Set the boundaries of the AIMS: the AI systems, products and services it covers."},
	{ID: "iso42001:4.4", Parent: "iso42001:4", Title: "AI management system", Summary: "Set up, run, maintain and improve the AIMS."},

	{ID: "iso42001:5", Title: "Leadership", Summary: "Top management leads and backs the AIMS."},
	{ID: "iso42001:5.1", Parent: "iso42001:5", Title: "Leadership and commitment", Summary: "Top management shows that it is committed to the AIMS."},
	{ID: "iso42001:5.2", Parent: "iso42001:5", Title: "AI policy", Summary: "Top management sets the AI policy."},
	{ID: "iso42001:5.3", Parent: "iso42001:5", Title: "Roles, responsibilities and authorities", Summary: "Roles that matter to the AIMS are assigned and made known."},

	{ID: "iso42001:6", Title: "Planning", Summary: "Plan for risks, opportunities, objectives and changes."},
	{ID: "iso42001:6.1", Parent: "iso42001:6", Title: "Actions to address risks and opportunities", Summary: "Plan what to do about the risks and opportunities of the AIMS."},
	{ID: "iso42001:6.1.1", Parent: "iso42001:6.1", Title: "General", Summary: "Set AI risk criteria and plan actions on risks and opportunities."},
	{ID: "iso42001:6.1.2", Parent: "iso42001:6.1", Title: "AI risk assessment", Summary: "Define a repeatable process to identify, analyse and evaluate AI risks."},
	{ID: "iso42001:6.1.3", Parent: "iso42001:6.1", Title: "AI risk treatment", Summary: "Choose treatments and controls, compare them with Annex A, produce the Statement of Applicability and a treatment plan."},
	{ID: "iso42001:6.1.4", Parent: "iso42001:6.1", Title: "AI system impact assessment", Summary: "Define a process to assess what AI systems may cause for individuals, groups and societies."},
	{ID: "iso42001:6.2", Parent: "iso42001:6", Title: "AI objectives and planning to achieve them", Summary: "Set measurable AI objectives and plan how to reach them."},
	{ID: "iso42001:6.3", Parent: "iso42001:6", Title: "Planning of changes", Summary: "Change the AIMS in a planned way."},

	{ID: "iso42001:7", Title: "Support", Summary: "Provide what the AIMS needs in order to work."},
	{ID: "iso42001:7.1", Parent: "iso42001:7", Title: "Resources", Summary: "Provide the resources the AIMS needs."},
	{ID: "iso42001:7.2", Parent: "iso42001:7", Title: "Competence", Summary: "Make sure the people whose work affects AI performance are competent."},
	{ID: "iso42001:7.3", Parent: "iso42001:7", Title: "Awareness", Summary: "Make people aware of the AI policy and of their part in the AIMS."},
	{ID: "iso42001:7.4", Parent: "iso42001:7", Title: "Communication", Summary: "Decide what is communicated about the AIMS, to whom and when."},
	{ID: "iso42001:7.5", Parent: "iso42001:7", Title: "Documented information", Summary: "Keep the documented information the AIMS needs."},
	{ID: "iso42001:7.5.1", Parent: "iso42001:7.5", Title: "General", Summary: "Include the documented information the standard and the organisation call for."},
	{ID: "iso42001:7.5.2", Parent: "iso42001:7.5", Title: "Creating and updating documented information", Summary: "Identify, format and review documented information when it is written or changed."},
	{ID: "iso42001:7.5.3", Parent: "iso42001:7.5", Title: "Control of documented information", Summary: "Control who can get documented information, how it is protected, and how long it is kept."},

	{ID: "iso42001:8", Title: "Operation", Summary: "Plan and run the processes of the AIMS."},
	{ID: "iso42001:8.1", Parent: "iso42001:8", Title: "Operational planning and control", Summary: "Plan, run and control the needed processes, including those provided from outside."},
	{ID: "iso42001:8.2", Parent: "iso42001:8", Title: "AI risk assessment", Summary: "Run AI risk assessments at planned intervals and on significant change."},
	{ID: "iso42001:8.3", Parent: "iso42001:8", Title: "AI risk treatment", Summary: "Carry out the AI risk treatment plan and check that it works."},
	{ID: "iso42001:8.4", Parent: "iso42001:8", Title: "AI system impact assessment", Summary: "Run AI system impact assessments at planned intervals and on significant change."},

	{ID: "iso42001:9", Title: "Performance evaluation", Summary: "Evaluate how well the AIMS performs."},
	{ID: "iso42001:9.1", Parent: "iso42001:9", Title: "Monitoring, measurement, analysis and evaluation", Summary: "Decide what is monitored and measured, and evaluate the results."},
	{ID: "iso42001:9.2", Parent: "iso42001:9", Title: "Internal audit", Summary: "Audit the AIMS from within."},
	{ID: "iso42001:9.2.1", Parent: "iso42001:9.2", Title: "General", Summary: "Hold internal audits at planned intervals."},
	{ID: "iso42001:9.2.2", Parent: "iso42001:9.2", Title: "Internal audit programme", Summary: "Plan how often, how, by whom and against what audits run, and how they report."},
	{ID: "iso42001:9.3", Parent: "iso42001:9", Title: "Management review", Summary: "Top management reviews the AIMS."},
	{ID: "iso42001:9.3.1", Parent: "iso42001:9.3", Title: "General", Summary: "Top management reviews the AIMS at planned intervals."},
	{ID: "iso42001:9.3.2", Parent: "iso42001:9.3", Title: "Management review inputs", Summary: "Cover earlier actions, changes, performance and chances to improve."},
	{ID: "iso42001:9.3.3", Parent: "iso42001:9.3", Title: "Management review results", Summary: "Record the review's decisions on improvements and changes."},

	{ID: "iso42001:10", Title: "Improvement", Summary: "Make the AIMS better over time."},
	{ID: "iso42001:10.1", Parent: "iso42001:10", Title: "Continual improvement", Summary: "Keep improving how suitable, adequate and effective the AIMS is."},
	{ID: "iso42001:10.2", Parent: "iso42001:10", Title: "Nonconformity and corrective action", Summary: "React to nonconformities, remove their causes and keep records."},
}
