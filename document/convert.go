package document

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ToJSON converts one YAML document (or JSON, which YAML includes) to
// compact JSON, with the strict rules of the [Decoder]: aliases, merge
// keys, repeated keys, a second document and nesting deeper than 64 levels
// are refused; timestamps stay strings, as written; infinity and NaN are
// refused, as JSON has no such numbers. Object members come out sorted by
// name, and '<', '>' and '&' are not escaped. The error of a YAML problem
// says where it is, as a [Problem] does.
//
// It is the one way aimskit reads YAML outside the [Decoder], so that a
// document that a folder loader refuses is refused everywhere.
func ToJSON(data []byte) ([]byte, error) {
	v, _, err := parseYAML(data, 0)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// ToYAML converts one JSON value to YAML that [ToJSON] reads back as the
// same value: object members sorted by name, indented by two spaces (a
// sequence under a key at the key's indentation), strings quoted where
// they would otherwise read as another type (version: "3.2"), in YAML
// 1.2 or in YAML 1.1 (approved: "yes"), numbers as
// integers as such (-0 becomes 0), other numbers in the
// shortest form that reads back as the same float64 (1.0 becomes 1).
func ToYAML(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("not valid JSON: more than one value")
	}
	n, err := yamlNode(v, 0)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	enc.CompactSeqIndent()
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// base60 matches what YAML 1.1 reads as a sexagesimal number, such as
// 1:30.
var base60 = regexp.MustCompile(`^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`)

// strNode returns the node of a string. It quotes what the encoder would
// write plain although it does not read back as a string: the merge key
// <<, and what YAML 1.1 readers take for a boolean (yes, off) or a
// sexagesimal number (1:30).
func strNode(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	switch strings.ToLower(s) {
	case "<<", "y", "yes", "n", "no", "on", "off":
		n.Style = yaml.DoubleQuotedStyle
	default:
		if base60.MatchString(s) {
			n.Style = yaml.DoubleQuotedStyle
		}
	}
	return n
}

// yamlNode returns the YAML node of a JSON value decoded with UseNumber.
func yamlNode(v any, depth int) (*yaml.Node, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nesting is deeper than %d levels", maxDepth)
	}
	switch v := v.(type) {
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}, nil
	case string:
		return strNode(v), nil
	case json.Number:
		s := string(v)
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(i, 10)}, nil
			}
			if u, err := strconv.ParseUint(s, 10, 64); err == nil {
				return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatUint(u, 10)}, nil
			}
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("number %s cannot be written as YAML: %v", s, err)
		}
		s = strconv.FormatFloat(f, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			// A whole number, such as 1.0, is written as one.
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: s}, nil
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: s}, nil
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, e := range v {
			c, err := yamlNode(e, depth+1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, c)
		}
		return n, nil
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			c, err := yamlNode(v[k], depth+1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, strNode(k), c)
		}
		return n, nil
	}
	return nil, fmt.Errorf("unexpected JSON value %T", v)
}
