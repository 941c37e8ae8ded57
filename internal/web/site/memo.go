package site

import (
	"context"
	"net/http"
)

// memo holds what one request has read already, by key.
type memo map[any]any

type memoKey struct{}

// WithMemo prepares ctx for Memo; the router calls it once per request.
func WithMemo(ctx context.Context) context.Context { return context.WithValue(ctx, memoKey{}, memo{}) }

// Memo returns what load returns, calling it at most once per request for key: a page whose
// steps each need the same record (the closed check, the form, the page) reads it once. A
// request the router did not prepare just calls load. Not for use across goroutines.
func Memo[T any](r *http.Request, key any, load func() (T, error)) (T, error) {
	m, _ := r.Context().Value(memoKey{}).(memo)
	if m != nil {
		if v, ok := m[key]; ok {
			return v.(T), nil
		}
	}
	v, err := load()
	if err == nil && m != nil {
		m[key] = v
	}
	return v, err
}
