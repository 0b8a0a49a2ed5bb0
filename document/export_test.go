package document

// ParseTree parses a document as the decoder does, into the tree that
// schema validation sees.
func ParseTree(data []byte) (any, error) {
	tree, _, _, err := parse(data, formatSniff, 0)
	return tree, err
}

// StoreTree stores tree into v, a new value of one of d's types, as
// Decode does before it falls back to encoding/json, and reports whether
// it did.
func StoreTree(d *Decoder, v any, tree any) bool { return d.trees.store(v, tree) }

// SchemaName reports whether the decoder stores s as one shared copy.
func SchemaName(d *Decoder, s string) bool {
	_, ok := d.trees.names[s]
	return ok
}
