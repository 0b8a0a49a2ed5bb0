package pgstore

// SetListenHook makes Watch call f with the process id of the server
// backend each time it starts listening. Call it before Watch.
func SetListenHook(s *Driver, f func(pid uint32)) { s.onListen = f }

// MigrationVersions returns the versions of the embedded migrations.
func MigrationVersions() ([]int, error) {
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	var vs []int
	for _, m := range ms {
		vs = append(vs, m.version)
	}
	return vs, nil
}

// ChannelName exposes channelName.
var ChannelName = channelName

// Redact exposes redact.
var Redact = redact
