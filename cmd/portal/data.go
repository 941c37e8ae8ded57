package main

import (
	"context"
	"errors"
)

// seedDemo loads the demo data.
func (a *app) seedDemo(ctx context.Context) error {
	return errors.New("seed-demo: not built yet")
}

// master runs "master import FILE".
func (a *app) master(ctx context.Context, args []string) error {
	if len(args) != 2 || args[0] != "import" {
		return errUsage
	}
	return errors.New("master import: not built yet")
}
