module github.com/aimskit/aimskit/aims/evidence/internal/dssecompat

go 1.26.0

require (
	github.com/aimskit/aimskit v0.0.0
	github.com/secure-systems-lab/go-securesystemslib v0.11.1
)

require (
	github.com/google/uuid v1.6.0 // indirect
	github.com/santhosh-tekuri/jsonschema/v5 v5.3.1 // indirect
	go.yaml.in/yaml/v3 v3.0.3 // indirect
	golang.org/x/crypto v0.55.0 // indirect
	golang.org/x/mod v0.43.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)

replace github.com/aimskit/aimskit => ../../../..
