package store

// The checks the Store does, exposed for the tests of package store_test.
var (
	ValidID       = validID
	ValidKind     = validKind
	CheckRevision = checkRevision
)
