package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"portal/internal/postal"
)

// TestBuildRoundTrip builds the data file from a cut-down copy of the npm package and
// reads it back.
func TestBuildRoundTrip(t *testing.T) {
	snap, err := build("testdata/package")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := snap.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := postal.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.Source != "jquery-jpostal-ja 2.14.73 (ver2.13 2025-09-25 2025-09-30)" {
		t.Errorf("source %q", back.Source)
	}
	want := []postal.Record{
		{Code: "1000000", PrefectureCode: 13, City: "千代田区"},
		{Code: "1000013", PrefectureCode: 13, City: "千代田区", Town: "霞が関"},
		{Code: "1000014", PrefectureCode: 13, City: "千代田区", Town: "永田町"},
		{Code: "1006090", PrefectureCode: 13, City: "千代田区", Town: "霞が関霞が関ビル"},
		// 1008926 (総務省) is a 事業所個別郵便番号 and "_100" a per-prefix fallback: both left out.
		{Code: "4090211", PrefectureCode: 19, City: "北都留郡小菅村"}, // 「小菅村の次に６６４番地以降がくる場合」 cleaned
		{Code: "9218046", PrefectureCode: 17, City: "金沢市", Town: "大桑町"},
		{Code: "9218046", PrefectureCode: 17, City: "金沢市", Town: "三小牛町"},
	}
	if got := back.Records(); !reflect.DeepEqual(got, want) {
		t.Errorf("records\n%+v\nwant\n%+v", got, want)
	}
}

func TestBuildRefusesOtherDirectories(t *testing.T) {
	dir := t.TempDir()
	if _, err := build(dir); err == nil {
		t.Error("built from an empty directory")
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"other","version":"1"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := build(dir); err == nil {
		t.Error("built from another package")
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"jquery-jpostal-ja","version":"1"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "json"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "json", "100.json"), []byte(`jQuery_jpostal_callback([["_1000013","東京府","千代田区","霞が関","","","","",""]]);`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := build(dir); err == nil {
		t.Error("built with an unknown prefecture")
	}
}
