package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"portal/internal/config"
	"portal/internal/demo"
	"portal/internal/operator"
	"portal/internal/testdb"
)

const masterHeader = "都道府県コード,点数表コード,医療機関等コード,施設種別,医療機関等名称,開設者氏名,郵便番号,所在地,電話番号\n"

func TestImportMasterCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)

	var out, errOut bytes.Buffer
	good := masterHeader + "13,1,0110011,病院,デモ霞が関総合病院,見本 太郎,100-0013,東京都千代田区霞が関1-2-2,03-0000-1001\n"
	if err := importMaster(ctx, pool, strings.NewReader(good), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if out.String() != "取込完了: 新規 1件, 更新 0件 (変更なし 0件)\n" || errOut.Len() != 0 {
		t.Fatalf("out %q, errOut %q", out.String(), errOut.String())
	}

	out.Reset()
	bad := masterHeader + "13,2,0110011,病院,a,b,100-0013,東京都x,03-0000-1001\n" +
		"13,1,0110012,病院,a,b,100-0013,東京都x,03-0000-1001\n" +
		"13,1,011001,病院,a,b,100-0013,東京都x,03-0000-1001\n"
	err := importMaster(ctx, pool, strings.NewReader(bad), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "2件の問題") {
		t.Fatalf("err = %v", err)
	}
	want := "2行目: 点数表コードは1、3、4のいずれかです（「2」）\n4行目: 医療機関等コードは7桁の数字です（「011001」）\n"
	if errOut.String() != want || out.Len() != 0 {
		t.Fatalf("errOut %q, out %q", errOut.String(), out.String())
	}
}

func TestPrintSeedListsLogins(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	printSeed(&b, &demo.Result{Applied: []string{"facilities"}, Skipped: []string{"content"},
		Logins: []demo.Login{{Role: "オペレーター", Path: "/admin", Login: "operator", Password: "Operator1234"}}},
		"http://127.0.0.1:8080/")
	want := "デモデータを投入しました: facilities\n投入済みのため省略しました: content\n\nデモ用のログイン:\n" +
		"  オペレーター: http://127.0.0.1:8080/admin  ID operator  パスワード Operator1234\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestTOTPCodeOnlyOnADevelopmentMachine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	if _, err := demo.Seed(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	dev, err := config.Load(func(k string) string {
		if k == "SESSION_SECRET" {
			return os.Getenv("SESSION_SECRET")
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1_800_000_010, 0)
	var out bytes.Buffer
	if err := printTOTPCode(ctx, dev, pool, "operator", at, &out); err != nil {
		t.Fatal(err)
	}
	want, _ := operator.CodeAt(demo.DemoTOTPSecret, at)
	if out.String() != want+"（あと20秒有効）\n" {
		t.Fatalf("printed %q, want the demo secret's code %s", out.String(), want)
	}
	if err := printTOTPCode(ctx, dev, pool, "nobody", at, &out); !errors.Is(err, operator.ErrNotFound) {
		t.Fatalf("unknown login: %v", err)
	}
	prod := *dev
	prod.EmbeddedDatabase = false
	if err := printTOTPCode(ctx, &prod, pool, "operator", at, &out); !errors.Is(err, errNotDevelopment) {
		t.Fatalf("away from a development machine: %v", err)
	}
}
