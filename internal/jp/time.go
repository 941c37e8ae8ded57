// Package jp holds the portal's one copy of the rules every Japanese page, mail and file
// shares: Japan Standard Time, 西暦 with 和暦 beside it in one format, and CSV that opens
// cleanly in Japanese Excel (UTF-8 with BOM or CP932).
package jp

import (
	"fmt"
	"strconv"
	"time"
)

// Zone is Japan Standard Time. Japan has no daylight saving, so a fixed zone needs no
// tzdata on the machine.
var Zone = time.FixedZone("JST", 9*60*60)

// Now is the current time in JST. Tests replace the clock with their own where they need to.
func Now() time.Time { return time.Now().In(Zone) }

// Today is today's date in JST at midnight.
func Today() time.Time { return Midnight(time.Now()) }

// Midnight is the start of t's day in JST.
func Midnight(t time.Time) time.Time {
	t = t.In(Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Zone)
}

// era is one 元号 and the day it began.
type era struct {
	name  string
	start time.Time
}

// eras, newest first.
var eras = []era{
	{"令和", time.Date(2019, 5, 1, 0, 0, 0, 0, Zone)},
	{"平成", time.Date(1989, 1, 8, 0, 0, 0, 0, Zone)},
	{"昭和", time.Date(1926, 12, 25, 0, 0, 0, 0, Zone)},
}

// eraOf returns the era of the day y-m-d and the year within it.
func eraOf(y, m, d int) (string, int) {
	day := time.Date(y, time.Month(m), d, 0, 0, 0, 0, Zone)
	for _, e := range eras {
		if !day.Before(e.start) {
			return e.name, y - e.start.Year() + 1
		}
	}
	return "", 0
}

func eraYear(name string, n int) string { return string(appendEraYear(nil, name, n)) }

// appendEraYear appends 令和8年 (or 令和元年).
func appendEraYear(b []byte, name string, n int) []byte {
	b = append(b, name...)
	if n == 1 {
		return append(b, "元年"...)
	}
	return append(strconv.AppendInt(b, int64(n), 10), "年"...)
}

// appendMonthDay appends 12月1日.
func appendMonthDay(b []byte, m time.Month, d int) []byte {
	b = append(strconv.AppendInt(b, int64(m), 10), "月"...)
	return append(strconv.AppendInt(b, int64(d), 10), "日"...)
}

// appendDate appends Date's form of t, which is in JST: pages show dates by the hundred,
// so without fmt.
func appendDate(b []byte, t time.Time) []byte {
	y, m, d := t.Date()
	b = appendMonthDay(append(strconv.AppendInt(b, int64(y), 10), "年"...), m, d)
	if name, n := eraOf(y, int(m), d); name != "" {
		b = appendMonthDay(appendEraYear(append(b, "（"...), name, n), m, d)
		b = append(b, "）"...)
	}
	return b
}

// WarekiYearMonth is the 和暦 of a year and month, e.g. 令和9年4月. A month that straddles
// the change of era (April 2019 ended 平成, May began 令和) takes the era of its first day.
func WarekiYearMonth(y, m int) string {
	name, n := eraOf(y, m, 1)
	if name == "" {
		return ""
	}
	return fmt.Sprintf("%s%d月", eraYear(name, n), m)
}

// WarekiDate is the 和暦 of a day, e.g. 令和8年12月1日.
func WarekiDate(t time.Time) string {
	y, m, d := t.In(Zone).Date()
	name, n := eraOf(y, int(m), d)
	if name == "" {
		return ""
	}
	return string(appendMonthDay(appendEraYear(make([]byte, 0, 32), name, n), m, d))
}

// YearMonth is how the portal shows a year and month: 2027年4月（令和9年4月）. Zero is "".
func YearMonth(y, m int) string {
	if y == 0 || m < 1 || m > 12 {
		return ""
	}
	if w := WarekiYearMonth(y, m); w != "" {
		return fmt.Sprintf("%d年%d月（%s）", y, m, w)
	}
	return fmt.Sprintf("%d年%d月", y, m)
}

// Date is how the portal shows a day, on every page, mail and letter:
// 2026年12月1日（令和8年12月1日）, in JST. The zero time is "".
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return string(appendDate(make([]byte, 0, 64), t.In(Zone)))
}

// DateTime is Date followed by the JST time of day: 2026年12月1日（令和8年12月1日） 15:04.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Zone)
	return string(t.AppendFormat(append(appendDate(make([]byte, 0, 72), t), ' '), "15:04"))
}

// ISODate is the machine form of a day in JST (2026-12-01), for <input type="date">, the
// datetime attribute of <time> and file names; people read Date.
func ISODate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format("2006-01-02")
}

// ISODateTime is the machine form of a moment in JST (2026-12-01 15:04:05), for CSV files
// that tools sort and filter; people read DateTime.
func ISODateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format("2006-01-02 15:04:05")
}

// ParseISODate reads 2026-12-01 as that day in JST.
func ParseISODate(s string) (time.Time, error) {
	return time.ParseInLocation("2006-01-02", s, Zone)
}

// weekdays are the days of the week as written after a date: （火）.
var weekdays = [...]string{"日", "月", "火", "水", "木", "金", "土"}

// Weekday is the day of the week of t in JST, e.g. 火.
func Weekday(t time.Time) string { return weekdays[t.In(Zone).Weekday()] }

// YearMonthOf returns the JST year and month of t.
func YearMonthOf(t time.Time) (int, int) {
	t = t.In(Zone)
	return t.Year(), int(t.Month())
}
