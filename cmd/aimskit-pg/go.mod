module github.com/aimskit/aimskit/cmd/aimskit-pg

go 1.26.0

require (
	github.com/aimskit/aimskit v0.0.0
	github.com/aimskit/aimskit/aims/store/pgstore v0.0.0
)

require (
	github.com/google/uuid v1.6.0 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/jackc/pgx/v5 v5.12.0 // indirect
	github.com/jackc/puddle/v2 v2.2.3 // indirect
	github.com/santhosh-tekuri/jsonschema/v5 v5.3.1 // indirect
	go.yaml.in/yaml/v3 v3.0.3 // indirect
	golang.org/x/mod v0.43.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)

replace (
	github.com/aimskit/aimskit => ../..
	github.com/aimskit/aimskit/aims/store/pgstore => ../../aims/store/pgstore
)
