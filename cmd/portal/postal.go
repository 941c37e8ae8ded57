package main

import (
	"context"
	"errors"
)

// postal runs "postal import FILE".
func (a *app) postal(ctx context.Context, args []string) error {
	return errors.New("postal import: not built yet")
}
