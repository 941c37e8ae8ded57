package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"portal/internal/postal"
	"portal/internal/testdb"
)

func TestImportPostalCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	fixture, err := os.ReadFile("../../internal/postal/testdata/utf_ken_all.csv")
	if err != nil {
		t.Fatal(err)
	}

	var out, errOut bytes.Buffer
	err = importPostal(ctx, pool, bytes.NewReader(fixture), "utf_ken_all.csv", false, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "-partial") {
		t.Fatalf("a 14-row file without -partial: %v", err)
	}
	if v, _ := postal.CurrentVersion(ctx, pool); v.Number != 0 {
		t.Fatalf("imported anyway: %+v", v)
	}

	if err := importPostal(ctx, pool, bytes.NewReader(fixture), "utf_ken_all.csv", true, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if out.String() != "取込完了: 14件 (版 1)。稼働中のサーバーは1分以内に新しいデータに切り替わります。\n" || errOut.Len() != 0 {
		t.Fatalf("out %q, errOut %q", out.String(), errOut.String())
	}

	out.Reset()
	bad := string(fixture) + `13101,"100  ","100001","ﾄｳｷｮｳﾄ","ﾁﾖﾀﾞｸ","ｶ","東京都","千代田区","霞が関",0,0,1,0,0,0` + "\n"
	err = importPostal(ctx, pool, strings.NewReader(bad), "utf_ken_all.csv", true, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "1件の問題") {
		t.Fatalf("err = %v", err)
	}
	if errOut.String() != "16行目: 郵便番号「100001」が7桁の数字ではありません\n" || out.Len() != 0 {
		t.Fatalf("errOut %q, out %q", errOut.String(), out.String())
	}
	if v, _ := postal.CurrentVersion(ctx, pool); v.Number != 1 {
		t.Errorf("version after a refused import: %+v", v)
	}
}
