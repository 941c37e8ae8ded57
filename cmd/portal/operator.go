package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"portal/internal/config"
	"portal/internal/database"
	"portal/internal/operator"
)

// errNotDevelopment refuses to show second-factor codes anywhere but a development machine.
var errNotDevelopment = errors.New("operator totp-code: only on a development machine (DATABASE_URL unset, BASE_URL and LISTEN_HOST on loopback)")

// operatorCmd runs "operator totp-code LOGIN": the code the operator's authenticator would
// show now, read from the database. It exists for the demo operators on a development
// machine and refuses to run anywhere else.
func (a *app) operatorCmd(ctx context.Context, args []string) error {
	if len(args) != 2 || args[0] != "totp-code" {
		return errUsage
	}
	return printTOTPCode(ctx, a.cfg, a.db, args[1], time.Now(), os.Stdout)
}

func printTOTPCode(ctx context.Context, cfg *config.Config, db database.DB, login string, now time.Time, out io.Writer) error {
	if !cfg.DevelopmentMachine() {
		return errNotDevelopment
	}
	code, err := operator.CurrentCode(ctx, db, cfg.SessionSecret, login, now)
	if err != nil {
		return fmt.Errorf("operator totp-code %s: %w", login, err)
	}
	fmt.Fprintf(out, "%s（あと%d秒有効）\n", code, 30-now.Unix()%30)
	return nil
}
