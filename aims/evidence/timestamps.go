package evidence

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/aimskit/aimskit/aims/evidence/internal/lines"
	"github.com/aimskit/aimskit/aims/evidence/timestamp"
)

// TimestampsSuffix is appended to a log's path to name the file that
// holds the RFC 3161 time-stamps of its checkpoints: one JSON object per
// line, {"size": N, "token": "<base64 DER TimeStampToken>"}, each a
// time-stamp over the SHA-256 of the note text of the log's checkpoint of
// N records ([timestamp.Digest]).
const TimestampsSuffix = ".timestamps"

// Timestamper obtains an RFC 3161 time-stamp token over a SHA-256
// digest from a time-stamping authority. A [*timestamp.Client] is one.
type Timestamper interface {
	Timestamp(ctx context.Context, digest [sha256.Size]byte) ([]byte, error)
}

// TimestampTimeout bounds the time a [FileLog] waits for a time-stamp of
// a checkpoint; see [FileOptions.Timestamper].
const TimestampTimeout = 30 * time.Second

// timestampLine is one line of a time-stamps file.
type timestampLine struct {
	// Size is the size of the checkpoint time-stamped.
	Size int64 `json:"size"`
	// Token is the DER TimeStampToken.
	Token []byte `json:"token"`
}

// TimestampLine returns the line of a time-stamps file (see
// [TimestampsSuffix]) that holds token, a time-stamp of the log's
// checkpoint of size records, with its newline.
func TimestampLine(size int64, token []byte) ([]byte, error) {
	if size < 0 || len(token) == 0 {
		return nil, invalidf("time-stamp line: want a size and a token")
	}
	b, err := json.Marshal(timestampLine{Size: size, Token: token})
	if err != nil {
		return nil, fmt.Errorf("evidence: time-stamp line: %w", err)
	}
	return append(b, '\n'), nil
}

// CheckpointDigest returns the digest that an RFC 3161 time-stamp of a
// signed checkpoint is over: the SHA-256 of its note text, without the
// signature lines, so that cosignatures added later do not change it.
func CheckpointDigest(signed []byte) ([sha256.Size]byte, error) {
	text, ok := splitNote(signed)
	if !ok {
		return [sha256.Size]byte{}, malformedf("checkpoint: note has no signatures")
	}
	return timestamp.Digest([]byte(text)), nil
}

// timestampLocked asks the log's time-stamping authority for a time-stamp
// of the checkpoint c just written, and appends it to the time-stamps
// file. A failure is logged, not returned: the checkpoint stands, and
// the next one is time-stamped again. l.mu is held.
func (l *FileLog) timestampLocked(c Checkpoint) {
	if l.tsa == nil || c.Size == 0 {
		return
	}
	name := l.path + TimestampsSuffix
	err := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), TimestampTimeout)
		defer cancel()
		token, err := l.tsa.Timestamp(ctx, timestamp.Digest([]byte(c.Text())))
		if err != nil {
			return err
		}
		line, err := TimestampLine(c.Size, token)
		if err != nil {
			return err
		}
		return appendLine(name, line, l.sync == SyncBatch)
	}()
	if err != nil {
		l.logger.Error("evidence: checkpoint not time-stamped; it stands, and the next checkpoint is time-stamped again",
			slog.String("path", name), slog.Int64("records", c.Size), slog.Any("error", err))
	}
}

// appendLine appends a complete line to the file at name, creating it,
// and syncs it if asked.
func appendLine(name string, line []byte, sync bool) error {
	f, created, err := openRegular(name)
	if err != nil {
		return err
	}
	_, err = f.Write(line)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && created && sync {
		err = syncDir(name)
	}
	return err
}

// AppendTimestamp asks tsa for a time-stamp of the signed checkpoint of
// the log at path and appends it to the log's time-stamps file
// (path+[TimestampsSuffix]). It does not check the checkpoint's
// signature; [VerifyFile] with [VerifyOptions.TSACert] checks both. It
// returns the token.
func AppendTimestamp(ctx context.Context, path string, signed []byte, tsa Timestamper) ([]byte, error) {
	c, err := ParseCheckpoint(signed)
	if err != nil {
		return nil, err
	}
	token, err := tsa.Timestamp(ctx, timestamp.Digest([]byte(c.Text())))
	if err != nil {
		return nil, fmt.Errorf("evidence: time-stamp: %w", err)
	}
	line, err := TimestampLine(c.Size, token)
	if err != nil {
		return nil, err
	}
	if err := appendLine(path+TimestampsSuffix, line, true); err != nil {
		return nil, fmt.Errorf("evidence: time-stamp: %w", err)
	}
	return token, nil
}

// verifyTimestamps checks the time-stamps file data against the verified
// checkpoints cps with the TSA certificate cert. Every time-stamp must be
// over the note text of the checkpoint of its size and verify with cert,
// and there must be one at least. It returns the check, and the problem.
func verifyTimestamps(data []byte, cps []Checkpoint, cert *x509.Certificate) (VerifyCheck, *VerifyError) {
	fail := func(cp int, detail string, err error) (VerifyCheck, *VerifyError) {
		return VerifyCheck{Name: CheckTimestamps, Status: StatusFails, Detail: detail},
			&VerifyError{Index: -1, Checkpoint: cp, Reason: ReasonBadTimestamp, Detail: detail, Err: err}
	}
	bySize := make(map[int64]int, len(cps))
	for i, c := range cps {
		bySize[c.Size] = i
	}
	var (
		latest     *timestamp.Info
		latestSize int64 = -1
		count      int
		lr         = lines.NewReader(bytes.NewReader(data))
	)
	for i := 0; ; i++ {
		line, complete, err := lr.Next()
		if errors.Is(err, io.EOF) || err == nil && !complete {
			break
		}
		if err != nil {
			return fail(-1, fmt.Sprintf("line %d of the time-stamps file: %v", i, err), err)
		}
		var tl timestampLine
		if err := strictUnmarshal(line, &tl); err != nil || len(tl.Token) == 0 {
			return fail(-1, fmt.Sprintf("line %d of the time-stamps file is not a time-stamp", i), nil)
		}
		ci, ok := bySize[tl.Size]
		if !ok {
			return fail(-1, fmt.Sprintf("line %d of the time-stamps file time-stamps a checkpoint of %d records, which the log does not have", i, tl.Size), nil)
		}
		info, err := timestamp.Verify(tl.Token, timestamp.Digest([]byte(cps[ci].Text())), cert)
		if err != nil {
			return fail(ci, fmt.Sprintf("the time-stamp of the checkpoint of %d records (line %d of the time-stamps file) is refused: %v", tl.Size, i, err), err)
		}
		count++
		if tl.Size > latestSize {
			latest, latestSize = info, tl.Size
		}
	}
	if count == 0 {
		return fail(-1, "no time-stamp: the time-stamps file is missing or empty", nil)
	}
	return VerifyCheck{Name: CheckTimestamps, Status: StatusHolds,
		Detail: fmt.Sprintf("%d time-stamps by %s verify: the first %d records existed by %s", count, latest.Signer,
			latestSize, latest.Time.Format(time.RFC3339))}, nil
}

// readTimestampsFile reads a log's time-stamps file, or nil if it has
// none.
func readTimestampsFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path + TimestampsSuffix)
	if errors.Is(err, os.ErrNotExist) {
		return []byte{}, nil
	}
	return b, err
}
