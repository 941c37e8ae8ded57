package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"portal/internal/demo"
	"portal/internal/master"
)

// seedDemo migrates, loads the demo data (each step once) and says who can sign in.
func (a *app) seedDemo(ctx context.Context) error {
	if err := a.migrate(ctx); err != nil {
		return err
	}
	res, err := demo.Seed(ctx, a.db, a.log)
	if err != nil {
		return err
	}
	printSeed(os.Stdout, res, a.cfg.BaseURL)
	return nil
}

func printSeed(w io.Writer, res *demo.Result, baseURL string) {
	if len(res.Applied) > 0 {
		fmt.Fprintf(w, "デモデータを投入しました: %s\n", strings.Join(res.Applied, ", "))
	}
	if len(res.Skipped) > 0 {
		fmt.Fprintf(w, "投入済みのため省略しました: %s\n", strings.Join(res.Skipped, ", "))
	}
	fmt.Fprintln(w, "\nデモ用のログイン:")
	for _, l := range res.Logins {
		fmt.Fprintf(w, "  %s: %s%s  ID %s  パスワード %s\n", l.Role, strings.TrimSuffix(baseURL, "/"), l.Path,
			l.Login, l.Password)
		if l.TOTPSecret != "" {
			fmt.Fprintf(w, "    二要素認証: 認証アプリにキー %s を登録するか、portal operator totp-code %s で確認コードを表示\n",
				l.TOTPSecret, l.Login)
		}
	}
}

// master runs "master import FILE" (FILE "-" reads standard input).
func (a *app) master(ctx context.Context, args []string) error {
	if len(args) != 2 || args[0] != "import" {
		return errUsage
	}
	var in io.Reader = os.Stdin
	if args[1] != "-" {
		f, err := os.Open(args[1])
		if err != nil {
			return fmt.Errorf("master import: %w", err)
		}
		defer f.Close()
		in = f
	}
	return importMaster(ctx, a.db, in, os.Stdout, os.Stderr)
}

// importMaster imports one file, printing the counts to out or every problem to errOut.
func importMaster(ctx context.Context, db master.Beginner, in io.Reader, out, errOut io.Writer) error {
	res, err := master.Import(ctx, db, in)
	var ve *master.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Fprintln(errOut, p.String())
		}
		return fmt.Errorf("master import: %d件の問題があるため、何も取り込みませんでした", len(ve.Problems))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "取込完了: 新規 %d件, 更新 %d件 (変更なし %d件)\n", res.Inserted, res.Updated, res.Unchanged)
	return nil
}
