# The deployment gate of aimskit's default policy (aims.DefaultPolicy),
# written in Rego over an input document that holds the same facts the
# built-in Go checks read. bench/gate_test.go builds the input and checks
# that this policy and aimskit reach the same verdict.
#
# Input (dates are "YYYY-MM-DD", "" for none):
#
#   today: evaluation date
#   system: {id, category, businessOwner, technicalLead, intendedUse,
#            oversight: {mechanism, roles, canOverride, canStop},
#            models: [{name, version}], datasets: [name], countries, users,
#            friaRequired}
#   riskAssessment: null | {date, nextReview, approved, criteriaFound,
#            problem, appetite, risks: [{id, residualLevel,
#            residualLikelihood, residualConsequence,
#            acceptance: null | {likelihood, consequence, expires}}]}
#   impactAssessment: null | {date, approved, nextReview, models, datasets,
#            countries, users, fria, friaProblem}
#   soa: null | {entries: {control id: {applicability, status, systems,
#            evidence: [effective date]}}}
package aimskit.deployment

# Parameters of the deployment gate in aimskit's default policy.
risk_max_age_days := 365

impact_max_age_days := 365

required_controls := ["iso42001:A.6.2.4", "iso42001:A.6.2.5", "iso42001:A.8.2"]

impact_categories := {"high-risk", "annex-iii-derogation", "gpai-model-systemic-risk"}

sys := input.system

today := input.today

ra := input.riskAssessment

ia := input.impactAssessment

decision := {"verdict": verdict, "checks": checks}

checks := [
	not_prohibited,
	classified,
	owners_assigned,
	intended_use,
	risk_approved,
	residual_risk,
	impact_approved,
	fria,
	human_oversight,
	controls_implemented,
]

default verdict := "allow"

verdict := "deny" if {
	some c in checks
	c.outcome == "fail"
}

pass(name, msg) := {"check": name, "outcome": "pass", "message": msg}

fail(name, msg) := {"check": name, "outcome": "fail", "message": msg}

na(name, msg) := {"check": name, "outcome": "not-applicable", "message": msg}

# older_than reports whether date d plus days is before today.
older_than(d, days) if {
	days > 0
	time.add_date(time.parse_ns("2006-01-02", d), 0, 0, days) < time.parse_ns("2006-01-02", today)
}

# --- not-prohibited

default not_prohibited := {"check": "not-prohibited", "outcome": "pass", "message": "not a prohibited practice"}

not_prohibited := fail("not-prohibited", "prohibited practice under EU AI Act Art. 5") if sys.category == "prohibited"

# --- system-classified

default classified := {"check": "system-classified", "outcome": "fail", "message": "not classified under the EU AI Act"}

classified := pass("system-classified", "classified under the EU AI Act") if sys.category != ""

# --- owners-assigned

default owners_assigned := {"check": "owners-assigned", "outcome": "pass", "message": "business owner and technical lead assigned"}

owners_assigned := fail("owners-assigned", msg) if {
	missing := [role |
		some role, name in {"business owner": sys.businessOwner, "technical lead": sys.technicalLead}
		name == ""
	]
	count(missing) > 0
	msg := sprintf("no %s assigned", [concat(" and no ", missing)])
}

# --- intended-use-documented

default intended_use := {"check": "intended-use-documented", "outcome": "fail", "message": "intended use not documented"}

intended_use := pass("intended-use-documented", "intended use documented") if trim_space(sys.intendedUse) != ""

# --- risk-assessment-approved (maxAgeDays 365)

risk_approved := fail("risk-assessment-approved", "no risk assessment of the system") if {
	ra == null
} else := fail("risk-assessment-approved", "risk assessment not approved by designated management (6.1.3 h)") if {
	not ra.approved
} else := fail("risk-assessment-approved", sprintf("risk assessment of %s is older than %d days", [ra.date, risk_max_age_days])) if {
	older_than(ra.date, risk_max_age_days)
} else := fail("risk-assessment-approved", sprintf("risk assessment review was due on %s", [ra.nextReview])) if {
	ra.nextReview != ""
	ra.nextReview < today
} else := pass("risk-assessment-approved", "risk assessment approved and current")

# --- residual-risk-accepted

valid_acceptance(r) if {
	a := r.acceptance
	a != null
	a.likelihood == r.residualLikelihood
	a.consequence == r.residualConsequence
	today < a.expires
}

unaccepted contains r.id if {
	some r in ra.risks
	r.residualLevel > ra.appetite
	not valid_acceptance(r)
}

stale contains r.id if {
	some r in ra.risks
	a := r.acceptance
	a != null
	[a.likelihood, a.consequence] != [r.residualLikelihood, r.residualConsequence]
}

expired contains r.id if {
	some r in ra.risks
	a := r.acceptance
	a != null
	today >= a.expires
}

residual_problems := [msg |
	some kind, ids in {
		"1 residual risk above appetite without a valid acceptance": unaccepted,
		"2 acceptance no longer matches the residual rating": stale,
		"3 acceptance expired": expired,
	}
	count(ids) > 0
	msg := sprintf("%s: %s", [substring(kind, 2, -1), concat(", ", sort(ids))])
]

residual_risk := fail("residual-risk-accepted", "no risk assessment of the system") if {
	ra == null
} else := fail("residual-risk-accepted", "the risk criteria of the assessment were not found") if {
	not ra.criteriaFound
} else := fail("residual-risk-accepted", concat("", ["risk assessment cannot be evaluated: ", ra.problem])) if {
	ra.problem != ""
} else := fail("residual-risk-accepted", concat("; ", residual_problems)) if {
	count(residual_problems) > 0
} else := pass("residual-risk-accepted", "residual risks within appetite or accepted")

# --- impact-assessment-approved (maxAgeDays 365)

impact_required if sys.category in impact_categories

impact_required if sys.friaRequired

review_reasons contains sprintf("model %s %s was assessed, but the inventory no longer lists it", [m.name, m.version]) if {
	some m in ia.models
	not m.name in {im.name | some im in sys.models}
}

review_reasons contains sprintf("model %s was assessed at version %s, but the inventory lists another version", [m.name, m.version]) if {
	some m in ia.models
	m.name in {im.name | some im in sys.models}
	not {"name": m.name, "version": m.version} in {{"name": im.name, "version": im.version} | some im in sys.models}
}

review_reasons contains sprintf("model %s %s is in the inventory, but was not assessed", [im.name, im.version]) if {
	some im in sys.models
	not im.name in {m.name | some m in ia.models}
}

review_reasons contains sprintf("data set %s is in the inventory, but was not assessed", [d]) if {
	some d in sys.datasets
	not d in ia.datasets
}

review_reasons contains sprintf("the system is used in %s, which was not assessed", [c]) if {
	some c in sys.countries
	not c in ia.countries
}

review_reasons contains sprintf("the system is used by %s, who were not assessed as users", [u]) if {
	some u in sys.users
	not u in ia.users
}

review_reasons contains sprintf("the next review was planned for %s", [ia.nextReview]) if {
	ia.nextReview != ""
	today >= ia.nextReview
}

impact_approved := na("impact-assessment-approved", "no impact assessment required for this classification") if {
	not impact_required
} else := fail("impact-assessment-approved", "no impact assessment of the system (required for its classification)") if {
	ia == null
} else := fail("impact-assessment-approved", "impact assessment not approved") if {
	not ia.approved
} else := fail("impact-assessment-approved", sprintf("impact assessment of %s is older than %d days", [ia.date, impact_max_age_days])) if {
	older_than(ia.date, impact_max_age_days)
} else := fail("impact-assessment-approved", concat("", ["impact assessment review owed: ", concat("; ", sort(review_reasons))])) if {
	count(review_reasons) > 0
} else := pass("impact-assessment-approved", "impact assessment approved and current")

# --- fria-complete

fria := na("fria-complete", "no fundamental rights impact assessment required (EU AI Act Art. 27)") if {
	not sys.friaRequired
} else := fail("fria-complete", "fundamental rights impact assessment missing (EU AI Act Art. 27): no impact assessment") if {
	ia == null
} else := fail("fria-complete", "fundamental rights impact assessment missing (EU AI Act Art. 27): the impact assessment has no FRIA elements") if {
	not ia.fria
} else := fail("fria-complete", concat("", ["fundamental rights impact assessment incomplete (EU AI Act Art. 27): ", ia.friaProblem])) if {
	ia.friaProblem != ""
} else := pass("fria-complete", "fundamental rights impact assessment complete (EU AI Act Art. 27)")

# --- human-oversight-defined

oversight_zero if {
	o := sys.oversight
	o.mechanism == ""
	count(o.roles) == 0
	not o.canOverride
	not o.canStop
}

human_oversight := na("human-oversight-defined", "not a high-risk system") if {
	sys.category != "high-risk"
} else := fail("human-oversight-defined", "high-risk system without a human-oversight mechanism (EU AI Act Art. 14)") if {
	oversight_zero
} else := fail("human-oversight-defined", "human oversight must be able to override outputs and stop the system (EU AI Act Art. 14(4))") if {
	not sys.oversight.canOverride
} else := fail("human-oversight-defined", "human oversight must be able to override outputs and stop the system (EU AI Act Art. 14(4))") if {
	not sys.oversight.canStop
} else := pass("human-oversight-defined", "human oversight defined: overseers can override and stop")

# --- controls-implemented

covers(e) if count(e.systems) == 0

covers(e) if sys.id in e.systems

in_effect(e) if {
	some d in e.evidence
	d <= today
}

missing_controls contains sprintf("%s (no entry in the Statement of Applicability)", [id]) if {
	some id in required_controls
	not input.soa.entries[id]
}

missing_controls contains sprintf("%s (%s)", [id, status]) if {
	some id in required_controls
	e := input.soa.entries[id]
	e.applicability == "applicable"
	covers(e)
	e.status != "implemented"
	status := object.get({"": "no status"}, e.status, e.status)
}

missing_controls contains sprintf("%s (implemented, but no evidence in effect)", [id]) if {
	some id in required_controls
	e := input.soa.entries[id]
	e.applicability == "applicable"
	covers(e)
	e.status == "implemented"
	not in_effect(e)
}

controls_implemented := fail("controls-implemented", "no Statement of Applicability") if {
	input.soa == null
} else := fail("controls-implemented", concat("", ["controls not implemented with evidence: ", concat("; ", sort(missing_controls))])) if {
	count(missing_controls) > 0
} else := pass("controls-implemented", "applicable controls implemented with evidence")
