// Command aimskit works with a folder of aimskit governance documents from
// the command line: it validates them and prints the AI system inventory
// with each system's EU AI Act classification and derived obligations.
//
// Usage:
//
//	aimskit <command> [flags] [DIR]
//
// The commands are:
//
//	validate   check every document in DIR; exit 1 if any is invalid
//	inventory  print the AI systems with their classification and obligations
//	schema     print the JSON Schema of a document kind
//
// DIR defaults to the current directory. Run "aimskit <command> -h" for
// the flags of a command. Exit codes: 0 success, 1 invalid documents,
// 2 usage or other errors.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
