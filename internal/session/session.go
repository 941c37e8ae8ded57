// Package session is the portal's store of browser sessions (alexedwards/scs) in
// PostgreSQL. Beside the session's data it keeps the account the session belongs to, so
// that loading a signed-in facility's session also brings its account and facility: one
// query for what every signed-in page needs before it starts (the principal middleware
// takes them from Loaded instead of asking again).
package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
)

// KeyAccountID is the session key holding the signed-in account's id; the store copies it
// into its own column.
const KeyAccountID = "account_id"

// Store is an scs.CtxStore on the sessions table.
type Store struct {
	db  *pgxpool.Pool
	log *slog.Logger
}

// New returns the store on db and starts deleting expired sessions every interval until
// ctx ends.
func New(ctx context.Context, db *pgxpool.Pool, log *slog.Logger, interval time.Duration) *Store {
	s := &Store{db: db, log: log}
	if interval > 0 {
		go s.cleanup(ctx, interval)
	}
	return s
}

// loaded carries what FindCtx read with the session to the principal middleware.
type loaded struct {
	account  account.Account
	facility account.Facility
	stamp    Stamp
	ok       bool
}

// Stamp is the version of everything a signed-in facility's pages show besides its account
// and facility (its applications, messages and inquiries: Facility; the catalog and what
// every facility sees: Site), kept by triggers in page_stamps (migration 00024). While it
// holds, a page rendered for the account shows nothing out of date.
type Stamp struct{ Facility, Site int64 }

type loadedKey struct{}

// Preload prepares ctx so the session's account and facility found with it can be read
// back with Loaded: the router calls it before scs loads the session.
func Preload(ctx context.Context) context.Context {
	return context.WithValue(ctx, loadedKey{}, &loaded{})
}

// Loaded returns the account and facility read with the session, and their page stamp, if
// the session belongs to an account.
func Loaded(ctx context.Context) (account.Account, account.Facility, Stamp, bool) {
	l, _ := ctx.Value(loadedKey{}).(*loaded)
	if l == nil || !l.ok {
		return account.Account{}, account.Facility{}, Stamp{}, false
	}
	return l.account, l.facility, l.stamp, true
}

// FindCtx returns the session's data, and with it, into ctx prepared by Preload, its
// account, facility and page stamp. A signed-in facility's session (the hot path) is one
// query; a session without an account takes a second, plain one.
func (s *Store) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var (
		data []byte
		a    account.Account
		f    account.Facility
		st   Stamp
	)
	err := s.db.QueryRow(ctx, `SELECT s.data, coalesce(ps.stamp, 0), coalesce(site.stamp, 0), `+account.UserColumns+`
		FROM sessions s JOIN accounts a ON a.id = s.account_id JOIN facilities f ON f.id = a.facility_id
		LEFT JOIN page_stamps ps ON ps.facility_id = f.id LEFT JOIN page_stamps site ON site.facility_id = 0
		WHERE s.token = $1 AND current_timestamp < s.expiry`, token).Scan(append([]any{&data, &st.Facility, &st.Site}, account.UserDest(&a, &f)...)...)
	switch {
	case err == nil:
		if l, _ := ctx.Value(loadedKey{}).(*loaded); l != nil {
			l.account, l.facility, l.stamp, l.ok = a, f, st, true
		}
		return data, true, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return nil, false, fmt.Errorf("session: find: %w", err)
	}
	err = s.db.QueryRow(ctx, `SELECT data FROM sessions WHERE token = $1 AND current_timestamp < expiry`, token).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("session: find: %w", err)
	}
	return data, true, nil
}

// CommitCtx stores the session's data, and its account beside it.
func (s *Store) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	var aid *int64
	if _, values, err := (Codec{}).Decode(b); err == nil {
		if id, ok := values[KeyAccountID].(int64); ok && id != 0 {
			aid = &id
		}
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO sessions (token, data, expiry, account_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry, account_id = EXCLUDED.account_id`,
		token, b, expiry, aid); err != nil {
		return fmt.Errorf("session: commit: %w", err)
	}
	return nil
}

// DeleteCtx deletes a session.
func (s *Store) DeleteCtx(ctx context.Context, token string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE token = $1`, token); err != nil {
		return fmt.Errorf("session: delete: %w", err)
	}
	return nil
}

// Find, Commit and Delete are the context-free forms scs.Store asks for; scs uses the
// context ones above when a store has them.
func (s *Store) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context.
func (s *Store) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a context.
func (s *Store) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

func (s *Store) cleanup(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE expiry < current_timestamp`); err != nil && ctx.Err() == nil {
				s.log.Warn("session: delete expired", slog.String("err", err.Error()))
			}
		}
	}
}
