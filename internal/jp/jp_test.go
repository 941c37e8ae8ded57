package jp

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
)

func TestYearMonth(t *testing.T) {
	for _, c := range []struct {
		y, m int
		want string
	}{
		{2027, 4, "2027年4月（令和9年4月）"},
		{2019, 5, "2019年5月（令和元年5月）"},
		{2019, 4, "2019年4月（平成31年4月）"},
		{2020, 1, "2020年1月（令和2年1月）"},
		{1989, 2, "1989年2月（平成元年2月）"},
		{1989, 1, "1989年1月（昭和64年1月）"},
		{0, 4, ""},
		{2027, 13, ""},
	} {
		if got := YearMonth(c.y, c.m); got != c.want {
			t.Errorf("YearMonth(%d, %d) = %q, want %q", c.y, c.m, got, c.want)
		}
	}
}

func TestDateInJST(t *testing.T) {
	// 2026-11-30 23:30 UTC is already 1 December in Japan.
	at := time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC)
	if got, want := Date(at), "2026年12月1日（令和8年12月1日）"; got != want {
		t.Errorf("Date = %q, want %q", got, want)
	}
	if got, want := DateTime(at), "2026年12月1日（令和8年12月1日） 08:30"; got != want {
		t.Errorf("DateTime = %q, want %q", got, want)
	}
	if got := ISODate(at); got != "2026-12-01" {
		t.Errorf("ISODate = %q", got)
	}
	if Date(time.Time{}) != "" || DateTime(time.Time{}) != "" {
		t.Error("zero time must be empty")
	}
	if got := Weekday(at); got != "火" {
		t.Errorf("Weekday = %q, want 火", got)
	}
	if got := WarekiDate(time.Date(2019, 4, 30, 12, 0, 0, 0, Zone)); got != "平成31年4月30日" {
		t.Errorf("last day of 平成: %q", got)
	}
	for at, want := range map[time.Time]string{
		time.Date(2019, 5, 1, 0, 0, 0, 0, Zone):   "2019年5月1日（令和元年5月1日）",
		time.Date(1926, 12, 24, 0, 0, 0, 0, Zone): "1926年12月24日",
		time.Date(1989, 1, 7, 9, 5, 0, 0, Zone):   "1989年1月7日（昭和64年1月7日）",
	} {
		if got := Date(at); got != want {
			t.Errorf("Date(%v) = %q, want %q", at, got, want)
		}
	}
	if got := DateTime(time.Date(1926, 12, 24, 9, 5, 0, 0, Zone)); got != "1926年12月24日 09:05" {
		t.Errorf("DateTime before 昭和 = %q", got)
	}
	d, err := ParseISODate("2027-01-05")
	if err != nil || d.Location() != Zone || d.Day() != 5 {
		t.Errorf("ParseISODate: %v %v", d, err)
	}
}

func TestCSVWriterCP932ReplacesVisibly(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewCSVWriter(&buf, CP932)
	if err != nil {
		t.Fatal(err)
	}
	// 𠮷 (U+20BB7) and an emoji are not in CP932; 髙 (an IBM extension) is.
	if err := w.Write([]string{"𠮷野家", "髙橋😀", "普通"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"a,b", "改行\nあり"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if bytes.IndexByte(buf.Bytes(), 0x1A) >= 0 {
		t.Fatal("CP932 output holds the control character 0x1A")
	}
	text, err := japanese.ShiftJIS.NewDecoder().String(buf.String())
	if err != nil {
		t.Fatal(err)
	}
	want := "〓野家,髙橋〓,普通\r\n\"a,b\",\"改行\r\nあり\"\r\n" // Excel reads CRLF inside quotes as one cell
	if text != want {
		t.Errorf("decoded %q, want %q", text, want)
	}
	if w.Replaced() != 1 {
		t.Errorf("Replaced = %d, want 1 record", w.Replaced())
	}
}

func TestCSVWriterUTF8BOM(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewCSVWriter(&buf, UTF8BOM)
	if err != nil {
		t.Fatal(err)
	}
	_ = w.Write([]string{"𠮷", "x"})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "\uFEFF𠮷,x\r\n") {
		t.Errorf("got %q", buf.String())
	}
	if _, err := ParseEncoding("latin1"); err == nil {
		t.Error("unknown encoding accepted")
	}
	if e, _ := ParseEncoding("CP932"); e != CP932 {
		t.Error("CP932 not read")
	}
}
