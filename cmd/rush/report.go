package main

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

// recorder collects every step's duration and every error, from all facilities at once.
type recorder struct {
	mu         sync.Mutex
	durations  map[string][]time.Duration
	errors     []failure
	done       int
	references map[int64]string // facility id → 申込番号 shown on the completion page
}

type failure struct {
	step, email string
	err         error
}

func newRecorder() *recorder {
	return &recorder{durations: map[string][]time.Duration{}, references: map[int64]string{}}
}

func (r *recorder) observe(step string, d time.Duration) {
	r.mu.Lock()
	r.durations[step] = append(r.durations[step], d)
	r.mu.Unlock()
}

func (r *recorder) fail(step, email string, err error) {
	r.mu.Lock()
	r.errors = append(r.errors, failure{step, email, err})
	r.mu.Unlock()
}

func (r *recorder) completed(f facility) {
	r.mu.Lock()
	r.references[f.id] = f.reference
	r.mu.Unlock()
}

func (r *recorder) finish() {
	r.mu.Lock()
	r.done++
	r.mu.Unlock()
}

func (r *recorder) finished() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.done
}

func (r *recorder) errorCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errors)
}

func (r *recorder) requests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, d := range r.durations {
		n += len(d)
	}
	return n
}

// report prints p50/p95/p99/max per step and every error.
func (r *recorder) report(w io.Writer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(w, "| step | requests | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n")
	for _, s := range steps {
		d := slices.Clone(r.durations[s])
		if len(d) == 0 {
			fmt.Fprintf(w, "| %s | 0 | | | | |\n", s)
			continue
		}
		slices.Sort(d)
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s |\n", s, len(d), ms(quantile(d, 0.50)), ms(quantile(d, 0.95)),
			ms(quantile(d, 0.99)), ms(d[len(d)-1]))
	}
	fmt.Fprintf(w, "\nerrors: %d\n", len(r.errors))
	for _, e := range r.errors {
		fmt.Fprintf(w, "  %s (%s): %v\n", e.step, e.email, e.err)
	}
}

// quantile is the nearest-rank quantile of sorted durations.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
