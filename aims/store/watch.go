package store

// Notification tells that a document changed. The zero value means that
// changes may have been missed; see [Store.Watch].
type Notification struct {
	// Kind and ID identify the document.
	Kind, ID string
	// Revision is the revision the change made.
	Revision int64
	// Op is the operation.
	Op Op
}
