// Command rush is deadline day in a box: N facilities of the volume database (portal volume
// fill) arrive at a running portal over a given time, and each does what that day brings:
// open the top page, sign in, マイページ, the card reader form, confirm, 確定, マイページ again.
// It reports p50/p95/p99/max per step and every error, then checks that nothing was lost:
// exactly N applications for those facilities, N receipt mails in the outbox, and no 5xx
// in the portal's log.
//
//	go run ./cmd/rush -n 2000 -over 120s -log portal.log
//
// The facilities are drawn (by -seed) from those with an account and no card reader
// application. Each comes from its own address (10.x.y.z in X-Forwarded-For), as 2,000
// clinics do behind the portal's load balancer: start the portal with
// TRUSTED_PROXY_HEADER=X-Forwarded-For, or the per-client sign-in limit refuses the rush.
// The portal must serve the same database (DATABASE_URL, or with it unset the development
// cluster's portal_volume, as "portal volume serve" does). The exit status is 1 when any
// error or check failed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/devdb"
	"portal/internal/volume"
)

type options struct {
	baseURL  string
	dbURL    string
	n        int
	over     time.Duration
	think    time.Duration
	logFile  string
	password string
	seed     uint64
	// forwardedFor names the header that carries each facility's own address (empty: none).
	forwardedFor string
}

func main() {
	var o options
	flag.StringVar(&o.baseURL, "url", "http://127.0.0.1:8080", "the running portal")
	flag.StringVar(&o.dbURL, "database", os.Getenv("DATABASE_URL"), "the portal's database (default $DATABASE_URL, or the development cluster's portal_volume)")
	flag.IntVar(&o.n, "n", 2000, "facilities that arrive")
	flag.DurationVar(&o.over, "over", 120*time.Second, "time over which they arrive (uniformly at random)")
	flag.DurationVar(&o.think, "think", time.Second, "mean pause between a facility's steps (each pause is 0.5–1.5 times it)")
	flag.StringVar(&o.logFile, "log", "", "the portal's JSON log file (stderr of portal serve), checked for 5xx answers and errors")
	flag.StringVar(&o.password, "password", volume.Password, "the facilities' password")
	flag.StringVar(&o.forwardedFor, "forwarded-for", "X-Forwarded-For",
		"header giving each facility its own client address, as a load balancer would (start the portal with TRUSTED_PROXY_HEADER set to it); empty sends none")
	flag.Uint64Var(&o.seed, "seed", 1, "selects the facilities and their answers")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	ok, err := run(ctx, o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "rush:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) (bool, error) {
	if o.n < 1 || o.over < 0 {
		return false, errors.New("-n must be at least 1 and -over not negative")
	}
	if o.dbURL == "" {
		root, err := devdb.Root()
		if err != nil {
			return false, err
		}
		if o.dbURL, err = devdb.URLFor(ctx, root, volume.Database); err != nil {
			return false, err
		}
	}
	db, err := pgxpool.New(ctx, o.dbURL)
	if err != nil {
		return false, fmt.Errorf("database: %w", err)
	}
	defer db.Close()
	if err := checkPortal(o.baseURL); err != nil {
		return false, err
	}
	facilities, err := pickFacilities(ctx, db, o.n, o.seed)
	if err != nil {
		return false, err
	}
	before, err := snapshot(ctx, db, o.logFile)
	if err != nil {
		return false, err
	}

	rng := rand.New(rand.NewPCG(o.seed, 2))
	arrivals := make([]time.Duration, len(facilities))
	for i := range arrivals {
		if o.over > 0 {
			arrivals[i] = time.Duration(rng.Int64N(int64(o.over)))
		}
	}
	slices.Sort(arrivals)
	transport := &http.Transport{MaxIdleConns: 0, MaxIdleConnsPerHost: 4096, IdleConnTimeout: 90 * time.Second}
	rec := newRecorder()
	fmt.Printf("rush: %d facilities arriving over %s at %s (think %s between steps)\n", len(facilities), o.over, o.baseURL, o.think)
	start := time.Now()
	var wg sync.WaitGroup
	for i, f := range facilities {
		f.answerSeed = o.seed*1_000_003 + uint64(i)
		wg.Go(func() {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Until(start.Add(arrivals[i]))):
			}
			visit(ctx, o, transport, rec, f)
		})
	}
	progress := time.NewTicker(10 * time.Second)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
wait:
	for {
		select {
		case <-done:
			break wait
		case <-progress.C:
			fmt.Printf("rush: %3.0f s: %d of %d facilities done, %d errors\n", time.Since(start).Seconds(), rec.finished(), len(facilities), rec.errorCount())
		}
	}
	progress.Stop()
	took := time.Since(start)
	fmt.Printf("rush: all %d facilities done in %.1f s, %d requests (%.0f per second)\n\n", len(facilities), took.Seconds(),
		rec.requests(), float64(rec.requests())/took.Seconds())
	rec.report(os.Stdout)
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	// The receipt mails are written with the applications, but give the portal a moment to
	// write its last log lines.
	time.Sleep(time.Second)
	checksOK, err := verify(ctx, db, o.logFile, before, facilities, rec.references, os.Stdout)
	if err != nil {
		return false, err
	}
	return checksOK && rec.errorCount() == 0, nil
}

// checkPortal makes sure something answers at the portal's address before the rush starts.
func checkPortal(base string) error {
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		return fmt.Errorf("the portal does not answer at %s: %w", base, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the portal at %s is not ready: /readyz answered %d", base, resp.StatusCode)
	}
	return nil
}
