// Command gen builds the portal's embedded postal data file from the npm package
// jquery-jpostal-ja, which carries Japan Post's KEN_ALL as JSONP files json/NNN.json, one
// per 3-digit prefix. Each file is
//
//	jQuery_jpostal_callback([["_1000013","東京都","千代田区","霞が関","","","ﾄｳｷｮｳﾄ","ﾁﾖﾀﾞｸ","ｶｽﾐｶﾞｾｷ"], ...]);
//
// that is: "_" + code, 都道府県, 市区町村, 町域, 番地 and 事業所名 (both set only for
// 事業所個別郵便番号), then the three names in half-width katakana. A code with several
// towns has one array per town, in KEN_ALL's order; "_" + 3 digits rows are per-prefix
// fallbacks of the jQuery plug-in. gen keeps the 7-digit 町域 rows (no 事業所), drops the
// kana, applies postal.CleanTown, and writes the compact file:
//
//	dir=$(mktemp -d) && (cd "$dir" && npm pack jquery-jpostal-ja@2.14.73 && tar xzf jquery-jpostal-ja-2.14.73.tgz)
//	go run ./internal/postal/gen -in "$dir/package" -out internal/postal/data/postal.bin.gz
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"portal/internal/postal"
	"portal/internal/pref"
)

func main() {
	in := flag.String("in", "", "unpacked jquery-jpostal-ja package directory (holds package.json and json/)")
	out := flag.String("out", "internal/postal/data/postal.bin.gz", "file to write")
	flag.Parse()
	if *in == "" {
		flag.Usage()
		os.Exit(2)
	}
	snap, err := build(*in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	var buf bytes.Buffer
	if err := snap.Encode(&buf); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d records from %s, %d bytes\n", *out, snap.Len(), snap.Source, buf.Len())
}

// build reads the unpacked package in dir.
func build(dir string) (*postal.Snapshot, error) {
	var pkg struct{ Name, Version string }
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		return nil, fmt.Errorf("package.json: %w", err)
	}
	if pkg.Name != "jquery-jpostal-ja" {
		return nil, fmt.Errorf("package.json: package is %q, want jquery-jpostal-ja", pkg.Name)
	}
	files, err := filepath.Glob(filepath.Join(dir, "json", "[0-9][0-9][0-9].json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errors.New("no json/NNN.json files")
	}
	sort.Strings(files)
	var records []postal.Record
	source := pkg.Name + " " + pkg.Version
	for _, f := range files {
		rs, info, err := readFile(f)
		if err != nil {
			return nil, err
		}
		if info != "" {
			source += " (" + info + ")"
		}
		records = append(records, rs...)
	}
	return postal.NewSnapshot(source, records)
}

// readFile reads one JSONP file. info is the data version that 000.json carries in its
// "_000info" row, e.g. "ver2.13 2025-09-25 2025-09-30".
func readFile(name string) (records []postal.Record, info string, err error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, "", err
	}
	start, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if start < 0 || end < start {
		return nil, "", fmt.Errorf("%s: not a jQuery_jpostal_callback(...) file", name)
	}
	var rows [][]string
	if err := json.Unmarshal(b[start+1:end], &rows); err != nil {
		return nil, "", fmt.Errorf("%s: %w", name, err)
	}
	for i, row := range rows {
		if len(row) < 6 {
			return nil, "", fmt.Errorf("%s: row %d has %d fields, want 9", name, i+1, len(row))
		}
		code := row[0]
		if code == "_000info" {
			info = row[2]
			continue
		}
		if len(code) != 8 || code[0] != '_' || row[4] != "" || row[5] != "" {
			continue // per-prefix fallback or 事業所個別郵便番号
		}
		p := pref.Code(row[1])
		if p == 0 {
			return nil, "", fmt.Errorf("%s: row %d: unknown prefecture %q", name, i+1, row[1])
		}
		records = append(records, postal.Record{Code: code[1:], PrefectureCode: p, City: row[2], Town: postal.CleanTown(row[3])})
	}
	return records, info, nil
}
