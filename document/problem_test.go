package document_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aimskit/aimskit/document"
)

func TestPointer(t *testing.T) {
	tests := []struct {
		tokens []any
		want   string
	}{
		{nil, ""},
		{[]any{"a"}, "/a"},
		{[]any{"models", 3, "digest"}, "/models/3/digest"},
		{[]any{"a/b", "m~n"}, "/a~1b/m~0n"},
	}
	for _, tt := range tests {
		if got := document.Pointer(tt.tokens...); got != tt.want {
			t.Errorf("Pointer(%v) = %q, want %q", tt.tokens, got, tt.want)
		}
	}
}

func TestErrorCollect(t *testing.T) {
	var e document.Error
	if e.Err() != nil {
		t.Fatal("empty Error.Err() != nil")
	}
	e.Add("/a", "is %s", "bad")
	var child document.Error
	child.Add("/b", "is required")
	e.Merge("/list/0", child.Err())
	e.Merge("/x", errors.New("plain"))
	e.Merge("/y", nil)
	err := e.Err()
	if !errors.Is(err, document.ErrInvalid) {
		t.Errorf("errors.Is(err, ErrInvalid) = false")
	}
	want := "/a: is bad\n/list/0/b: is required\n/x: plain"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    document.Problem
		want string
	}{
		{document.Problem{File: "a.yaml", Pointer: "/id", Message: "is required"}, "a.yaml:/id: is required"},
		{document.Problem{File: "a.yaml", Message: "document is empty"}, "a.yaml: document is empty"},
		{document.Problem{Pointer: "/id", Message: "is required"}, "/id: is required"},
		{document.Problem{Message: "bad"}, "bad"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestDate(t *testing.T) {
	d := document.MustDate("2027-12-02")
	if d.String() != "2027-12-02" {
		t.Errorf("String() = %q", d)
	}
	if got := d.AddDays(30).String(); got != "2028-01-01" {
		t.Errorf("AddDays(30) = %s, want 2028-01-01", got)
	}
	if !d.Before(document.MustDate("2027-12-03")) || d.After(d) || d.Compare(d) != 0 {
		t.Error("Before/After/Compare disagree")
	}
	for _, bad := range []string{"2027-1-2", "02.12.2027", "2027-02-30", "x"} {
		if _, err := document.ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) = nil error, want an error", bad)
		}
	}
	var z document.Date
	if !z.IsZero() || z.String() != "" {
		t.Errorf("zero Date = %q, IsZero %v", z, z.IsZero())
	}
}

func ExampleError() {
	var e document.Error
	e.Add("/name", "is required")
	e.Add(document.Pointer("resources", "models", 0, "digest"), "%q is not a sha256 digest", "md5:1")
	err := e.Err()
	fmt.Println(err)
	fmt.Println(errors.Is(err, document.ErrInvalid))
	// Output:
	// /name: is required
	// /resources/models/0/digest: "md5:1" is not a sha256 digest
	// true
}
