package postal

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultCheckInterval is how often a Directory asks the database whether new data was
// imported: at most once a minute, on the first lookup after the interval.
const DefaultCheckInterval = time.Minute

// Directory answers postal code lookups for one instance of the portal. It holds a
// snapshot in memory: the embedded data until the database has an imported version,
// then that version, reloaded when a later import changes it. Safe for concurrent use.
type Directory struct {
	db       *pgxpool.Pool
	log      *slog.Logger
	interval time.Duration

	cur       atomic.Pointer[loaded]
	checkedAt atomic.Int64 // unix nanoseconds of the last version check
	mu        sync.Mutex   // one check or reload at a time
}

type loaded struct {
	snap    *Snapshot
	version int64 // 0 for the embedded data
}

// NewDirectory returns a directory that checks db for imported data at most once per
// interval (DefaultCheckInterval when 0). db may be nil: then only the embedded data is used.
func NewDirectory(db *pgxpool.Pool, log *slog.Logger, interval time.Duration) *Directory {
	if interval <= 0 {
		interval = DefaultCheckInterval
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Directory{db: db, log: log, interval: interval}
}

// Lookup normalises what the user typed (see Normalize) and returns the candidates for
// it; none when the code is unknown. The error is ErrInvalidCode, or the failure to load
// the embedded data at first use; a database that cannot be reached only leaves the
// current snapshot in place.
func (d *Directory) Lookup(ctx context.Context, input string) ([]Address, error) {
	code, err := Normalize(input)
	if err != nil {
		return nil, err
	}
	snap, err := d.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return snap.Lookup(code), nil
}

// Source describes the data in use, e.g. "jquery-jpostal-ja 2.14.73 (...)".
func (d *Directory) Source(ctx context.Context) (string, error) {
	snap, err := d.snapshot(ctx)
	if err != nil {
		return "", err
	}
	return snap.Source, nil
}

// Refresh checks the database now instead of waiting for the interval, and loads a newer
// import if there is one.
func (d *Directory) Refresh(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.refreshLocked(ctx)
}

// snapshot returns the data to use. The first call loads it; afterwards at most one
// caller per interval checks the version while the others go on with what is loaded.
func (d *Directory) snapshot(ctx context.Context) (*Snapshot, error) {
	cur := d.cur.Load()
	if cur == nil {
		d.mu.Lock()
		defer d.mu.Unlock()
		if cur = d.cur.Load(); cur == nil {
			if err := d.refreshLocked(ctx); err != nil {
				d.log.WarnContext(ctx, "postal: imported data not loaded, using the embedded data", slog.Any("error", err))
			}
			if cur = d.cur.Load(); cur == nil {
				snap, err := Embedded()
				if err != nil {
					return nil, err
				}
				cur = &loaded{snap: snap}
				d.cur.Store(cur)
			}
		}
		return cur.snap, nil
	}
	if time.Since(time.Unix(0, d.checkedAt.Load())) >= d.interval && d.mu.TryLock() {
		if err := d.refreshLocked(ctx); err != nil {
			d.log.WarnContext(ctx, "postal: checking for imported data failed", slog.Any("error", err))
		}
		d.mu.Unlock()
		cur = d.cur.Load()
	}
	return cur.snap, nil
}

// refreshLocked compares the database's version with the loaded one and reloads when they
// differ. d.mu must be held. The work is not cut short when the request that happened to
// trigger it goes away: other requests are waiting for the same data.
func (d *Directory) refreshLocked(ctx context.Context) error {
	d.checkedAt.Store(time.Now().UnixNano())
	if d.db == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	v, err := CurrentVersion(ctx, d.db)
	if err != nil {
		return err
	}
	cur := d.cur.Load()
	if v.Number == 0 || (cur != nil && cur.version == v.Number) {
		return nil
	}
	snap, lv, err := loadSnapshot(ctx, d.db)
	if err != nil || snap == nil {
		return err
	}
	d.cur.Store(&loaded{snap: snap, version: lv.Number})
	d.log.InfoContext(ctx, "postal: loaded imported data", slog.Int64("version", lv.Number), slog.Int("records", snap.Len()))
	return nil
}
