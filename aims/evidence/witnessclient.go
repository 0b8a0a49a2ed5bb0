package evidence

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// Witness names a witness that a [FileLog] asks to cosign its checkpoints,
// over the C2SP tlog-witness protocol. It is a plain value.
type Witness struct {
	// URL is the witness's submission prefix: the log posts to
	// URL+"/add-checkpoint".
	URL string
	// Key is the witness's public key. Cosignatures by other keys in its
	// answer are ignored.
	Key WitnessKey
}

// DefaultWitnessTimeout bounds one exchange with a witness when
// [FileOptions.WitnessTimeout] is zero.
const DefaultWitnessTimeout = 10 * time.Second

// maxWitnessResponse bounds the body of a witness's answer.
const maxWitnessResponse = 64 << 10

// witnessState is what a FileLog knows of one witness.
type witnessState struct {
	w    Witness
	size int64 // size of the latest checkpoint it cosigned, as far as known
}

// WitnessError is the answer of a witness that refused a checkpoint, or
// could not be reached. It is a plain value.
type WitnessError struct {
	// URL is the witness's submission prefix.
	URL string
	// Status is the HTTP status of the answer, or 0 if there was none.
	Status int
	// Detail says what happened.
	Detail string
}

func (e *WitnessError) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("evidence: witness %s: %s", e.URL, e.Detail)
	}
	return fmt.Sprintf("evidence: witness %s: %d %s: %s", e.URL, e.Status, http.StatusText(e.Status), e.Detail)
}

// AddCheckpointRequest returns the body of a C2SP tlog-witness
// add-checkpoint request: the old size, the consistency proof from it and
// the signed checkpoint.
func AddCheckpointRequest(oldSize int64, proof []tlog.Hash, signed []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "old %d\n", oldSize)
	for _, h := range proof {
		b.WriteString(base64.StdEncoding.EncodeToString(h[:]))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.Write(signed)
	return b.Bytes()
}

// cosignLocked asks every witness to cosign the signed checkpoint c and
// returns the note with the cosignatures it got. A witness that cannot
// be reached or refuses is logged and left out: the checkpoint is kept
// without its cosignature, and the witness is asked again with the next
// checkpoint (or by [FileLog.Checkpoint]). l.mu is held.
func (l *FileLog) cosignLocked(c Checkpoint, signed []byte) []byte {
	if len(l.witnesses) == 0 || c.Size == 0 {
		return signed
	}
	text, _ := splitNote(signed)
	have := noteSignatureLines(signed)
	var got [][]byte
	for _, ws := range l.witnesses {
		if hasCosignature(ws.w.Key, text, have) {
			continue
		}
		line, err := l.askWitness(ws, c, signed, text)
		if err != nil {
			l.logger.Warn("evidence: a witness did not cosign the checkpoint; it is kept without that cosignature and the witness is asked again with the next one",
				slog.String("witness", ws.w.URL), slog.Int64("size", c.Size), slog.Any("error", err))
			continue
		}
		got = append(got, line)
	}
	return addSignatureLines(signed, got)
}

func hasCosignature(k WitnessKey, text string, lines [][]byte) bool {
	for _, l := range lines {
		if _, ok := CheckCosignature(k, text, l); ok {
			return true
		}
	}
	return false
}

// askWitness sends one checkpoint to one witness, and once more with the
// size the witness names if it answers that it saw another one.
func (l *FileLog) askWitness(ws *witnessState, c Checkpoint, signed []byte, text string) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		old := ws.size
		if old > c.Size {
			old = 0
		}
		var proof []tlog.Hash
		if old > 0 && old < c.Size {
			p, err := tlog.ProveTree(c.Size, old, l.tiles.verified())
			if err != nil {
				return nil, fmt.Errorf("prove consistency from %d: %w", old, err)
			}
			proof = p
		}
		status, body, err := l.postWitness(ws.w.URL, AddCheckpointRequest(old, proof, signed))
		if err != nil {
			return nil, err
		}
		switch status {
		case http.StatusOK:
			ws.size = c.Size
			for _, line := range bytes.SplitAfter(body, []byte("\n")) {
				if _, ok := CheckCosignature(ws.w.Key, text, line); ok {
					return line, nil
				}
			}
			return nil, &WitnessError{URL: ws.w.URL, Status: status, Detail: "no valid cosignature by the witness's key in the answer"}
		case http.StatusConflict:
			seen, perr := strconv.ParseInt(strings.TrimSuffix(string(body), "\n"), 10, 64)
			if perr != nil || seen < 0 {
				return nil, &WitnessError{URL: ws.w.URL, Status: status, Detail: "the answer is not a tree size"}
			}
			if attempt > 0 || seen > c.Size || seen == old {
				return nil, &WitnessError{URL: ws.w.URL, Status: status,
					Detail: fmt.Sprintf("the witness last cosigned a checkpoint of size %d; this one has size %d", seen, c.Size)}
			}
			ws.size = seen
		default:
			return nil, &WitnessError{URL: ws.w.URL, Status: status, Detail: strings.TrimSpace(string(body))}
		}
	}
}

// postWitness posts an add-checkpoint request and returns the status and
// body of the answer.
func (l *FileLog) postWitness(prefix string, body []byte) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), l.witnessTimeout)
	defer cancel()
	url := strings.TrimSuffix(prefix, "/") + "/add-checkpoint"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, &WitnessError{URL: prefix, Detail: err.Error()}
	}
	resp, err := l.httpClient.Do(req)
	if err != nil {
		return 0, nil, &WitnessError{URL: prefix, Detail: err.Error()}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxWitnessResponse+1))
	if err == nil && len(b) > maxWitnessResponse {
		err = errors.New("answer too long")
	}
	if err != nil {
		return 0, nil, &WitnessError{URL: prefix, Status: resp.StatusCode, Detail: err.Error()}
	}
	return resp.StatusCode, b, nil
}
