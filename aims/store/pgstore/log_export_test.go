package pgstore

// LogLockKey returns the key of the advisory lock that serialises the
// appends to l, so that tests can hold it.
func LogLockKey(l *Log) int64 { return l.lockKey }
