module github.com/aimskit/aimskit/aims/export/spdx/internal/spdxschema

go 1.26.0

require (
	github.com/aimskit/aimskit v0.0.0
	github.com/dlclark/regexp2 v1.12.0
	github.com/google/uuid v1.6.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
)

require (
	github.com/santhosh-tekuri/jsonschema/v5 v5.3.1 // indirect
	go.yaml.in/yaml/v3 v3.0.3 // indirect
	golang.org/x/mod v0.43.0 // indirect
	golang.org/x/text v0.14.0 // indirect
)

replace github.com/aimskit/aimskit => ../../../../..
