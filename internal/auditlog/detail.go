package auditlog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"portal/internal/jp"
	"portal/internal/operator"
)

// DetailText is the entry's detail in words, e.g. 「日付: 2026年12月10日（令和8年12月10日）、メーカー:
// 富士通Japan」: known keys by their Japanese names, roles, yes/no and days as people read
// them, the rest as stored.
func (e Entry) DetailText() string {
	if len(bytes.TrimSpace(e.Detail)) == 0 {
		return ""
	}
	var m map[string]any
	if err := json.Unmarshal(e.Detail, &m); err != nil {
		return string(e.Detail)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := detailValue(k, m[k])
		if v == "" {
			continue
		}
		name := k
		if l, ok := detailLabels[k]; ok {
			name = l
		}
		parts = append(parts, name+": "+v)
	}
	return strings.Join(parts, "、")
}

func detailValue(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "はい"
		}
		return "いいえ"
	case float64:
		if x == 0 && (key == "prefecture" || key == "facility_id") {
			return ""
		}
		return fmt.Sprintf("%g", x)
	case string:
		switch key {
		case "role", "from", "to":
			if r := operator.Role(x); r.Valid() {
				return r.Label()
			}
		case "action":
			return Label(x)
		}
		// Days are stored in machine form (2026-12-10) and read in the portal's one format.
		if len(x) == len("2006-01-02") {
			if t, err := jp.ParseISODate(x); err == nil {
				return jp.Date(t)
			}
		}
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}
