package evidence

import (
	"context"
	"io"
)

// VerifyLogBlocks is VerifyLog with blocks of size bytes for its workers,
// so that tests make many blocks of a small log.
func VerifyLogBlocks(ctx context.Context, log io.Reader, checkpoints io.Reader, opts *VerifyOptions, size int) (VerifyReport, error) {
	return verifyLog(ctx, log, checkpoints, opts, size)
}
