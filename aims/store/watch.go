package store

import "context"

// Watcher is implemented by a [Store] that reports changes as they are
// made, including those made through other handles on the same storage,
// such as other processes sharing one database. It lets every instance of
// an application see a suspension within moments of its being written.
type Watcher interface {
	// Watch calls fn once for each change written to the store after
	// Watch started, in the order the store made them, and returns when
	// ctx is done (with the context's error) or when it can no longer
	// watch. fn runs on Watch's goroutine; while it runs, later changes
	// wait.
	//
	// When changes may have been missed, Watch calls fn with the zero
	// Notification: the caller should then read again whatever it keeps.
	// It does so once it has started watching (changes made between the
	// caller's last read and that moment are not reported) and after a
	// lost connection was restored.
	Watch(ctx context.Context, fn func(Notification)) error
}

// Notification tells that a document changed. The zero value means that
// changes may have been missed; see [Watcher].
type Notification struct {
	// Kind and ID identify the document.
	Kind, ID string
	// Revision is the revision the change made.
	Revision int64
	// Op is the operation.
	Op Op
}
