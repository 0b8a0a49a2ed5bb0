package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/jackc/pgx/v5"
)

// Delays between attempts to restore a lost connection in [Driver.Watch].
const (
	minBackoff = 50 * time.Millisecond
	maxBackoff = 2 * time.Second
)

// Watch calls fn once for each change written to the store's schema after
// Watch started, by this driver or any other, in the order PostgreSQL
// committed them; see [store.Store.Watch], which calls it. fn runs on
// Watch's goroutine; while it runs, later changes wait.
//
// Watch listens on its own connection, not one of the pool's. As soon as
// it listens, it calls fn with the zero [store.Notification]: changes made
// before that moment, since the caller last read the store, were not seen,
// and from then on none is missed, so a caller that reads again then has
// an up-to-date view. If the connection is lost, Watch connects again,
// waiting 50 ms before the first attempt and twice as long before each
// next one, up to 2 s; once it listens again it calls fn with the zero
// Notification, because changes made in between were missed.
// Notifications that are not ones this package sends are logged and
// skipped.
//
// Watch returns the context's error when ctx is done, and an error
// matching [store.ErrClosed] once the driver is closed (Close makes it
// return promptly). If its first connection fails, it returns that error.
func (s *Driver) Watch(ctx context.Context, fn func(store.Notification)) error {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	id, ok := s.addWatcher(cancel)
	if !ok {
		return fmt.Errorf("pgstore: watch: %w", store.ErrClosed)
	}
	defer s.removeWatcher(id)

	conn, err := s.listen(wctx)
	if err != nil {
		return s.watchEnd(ctx, err)
	}
	defer func() { s.hangUp(ctx, conn) }()
	// Changes made before Watch listened, since the caller last read,
	// were not seen.
	fn(store.Notification{})
	for {
		n, err := conn.WaitForNotification(wctx)
		if err == nil {
			if note, ok := s.decode(ctx, n.Channel, n.Payload); ok {
				fn(note)
			}
			continue
		}
		s.hangUp(ctx, conn)
		conn = nil
		if wctx.Err() != nil {
			return s.watchEnd(ctx, nil)
		}
		s.log.WarnContext(ctx, "pgstore: watch: connection lost, reconnecting",
			slog.String("schema", s.schema), slog.Any("error", err))
		for delay := minBackoff; conn == nil; delay = min(2*delay, maxBackoff) {
			t := time.NewTimer(delay)
			select {
			case <-wctx.Done():
				t.Stop()
				return s.watchEnd(ctx, nil)
			case <-t.C:
			}
			conn, err = s.listen(wctx)
			if err != nil {
				if wctx.Err() != nil {
					return s.watchEnd(ctx, nil)
				}
				s.log.WarnContext(ctx, "pgstore: watch: cannot reconnect yet", slog.String("schema", s.schema),
					slog.Duration("retry_in", min(2*delay, maxBackoff)), slog.Any("error", err))
			}
		}
		s.log.InfoContext(ctx, "pgstore: watch: reconnected", slog.String("schema", s.schema))
		fn(store.Notification{})
	}
}

// listen opens a connection and listens on the store's channel.
func (s *Driver) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, s.connCfg.Copy())
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{s.channel}.Sanitize()); err != nil {
		s.hangUp(ctx, conn)
		return nil, err
	}
	if s.onListen != nil {
		s.onListen(conn.PgConn().PID())
	}
	return conn, nil
}

// hangUp closes conn, if not nil, without waiting long for a server that
// does not answer.
func (s *Driver) hangUp(ctx context.Context, conn *pgx.Conn) {
	if conn == nil {
		return
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	conn.Close(cctx) // closing a broken connection may fail; it is closed all the same
}

// watchEnd returns the error with which Watch ends: an error matching
// store.ErrClosed if the Store is closed, the context's error if ctx is
// done, and otherwise err.
func (s *Driver) watchEnd(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	s.wmu.Lock()
	closed := s.wclosed
	s.wmu.Unlock()
	if closed {
		return fmt.Errorf("pgstore: watch: %w", store.ErrClosed)
	}
	return dbError(ctx, "watch: connect to "+address(&s.connCfg.Config), err)
}

// decode returns the change that a notification payload describes, or
// false, after logging it, if the payload is not one that Put or Delete
// sends.
func (s *Driver) decode(ctx context.Context, channel, payload string) (store.Notification, bool) {
	var n notification
	err := json.Unmarshal([]byte(payload), &n)
	if err == nil {
		err = validName(n.Kind, n.ID)
	}
	if err == nil && (n.Revision < 1 || n.Op != store.OpPut && n.Op != store.OpDelete) {
		err = fmt.Errorf("revision %d, op %q", n.Revision, n.Op)
	}
	if err != nil {
		const max = 200
		if len(payload) > max {
			payload = payload[:max] + "..."
		}
		s.log.WarnContext(ctx, "pgstore: watch: ignored a notification that is not a change",
			slog.String("channel", channel), slog.String("payload", payload), slog.Any("error", err))
		return store.Notification{}, false
	}
	return store.Notification{Kind: n.Kind, ID: n.ID, Revision: n.Revision, Op: n.Op}, true
}

// addWatcher registers the cancel function of a Watch call, for Close. It
// returns false if the driver is closed.
func (s *Driver) addWatcher(cancel context.CancelFunc) (int, bool) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.wclosed {
		return 0, false
	}
	s.wnext++
	s.watchers[s.wnext] = cancel
	return s.wnext, true
}

func (s *Driver) removeWatcher(id int) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	delete(s.watchers, id)
}

// validName reports whether kind and id, read from a notification, are
// ones a [store.Store] accepts.
func validName(kind, id string) error {
	return (&store.Document{Kind: kind, ID: id, Data: []byte("{}")}).Validate()
}
