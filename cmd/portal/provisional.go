package main

import (
	"context"
	"errors"
)

// provisional runs "provisional issue --out FILE.csv".
func (a *app) provisional(ctx context.Context, args []string) error {
	return errors.New("provisional issue: not built yet")
}
