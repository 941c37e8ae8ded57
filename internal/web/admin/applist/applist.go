// Package applist is what the back office's application lists and their steps share: the
// filter form (状態, 都道府県, 施設種別, period) read into an application.Filter, keyset page
// links, CSV export links, and the page that confirms an operator's step (with a reason
// where one is needed). A kind's back-office area is then its rows, its detail and one
// line per step.
package applist

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"portal/internal/application"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/listing"
	"portal/internal/pref"
	"portal/internal/web/site"
)

// PerPage is the page size of the lists.
const PerPage = 50

// Query is the filter form as typed, so it comes back unchanged.
type Query struct {
	Status, Pref, Kind, From, To string
}

// values is the query string of q (without paging).
func (q Query) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"status": q.Status, "pref": q.Pref, "kind": q.Kind, "from": q.From, "to": q.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// Read reads the filter and the page asked for from the query string. A value that is not
// one of the choices is an error beside its field; the list then shows everything.
func Read(r *http.Request, statuses []string) (application.ListRequest, Query, form.Errors) {
	qs := r.URL.Query()
	in := form.NewInput(qs)
	q := Query{Status: in.Text("status"), Pref: in.Digits("pref"), Kind: in.Text("kind"), From: in.Text("from"), To: in.Text("to")}
	errs := in.Errors
	var f application.Filter
	switch {
	case q.Status == "":
	case slices.Contains(statuses, q.Status):
		f.Status = q.Status
	default:
		errs.Add("status", "状態を選択肢から選んでください。")
	}
	if q.Pref != "" {
		if n, ok := form.Integer(q.Pref); ok && pref.Name(n) != "" {
			f.Prefecture = n
		} else {
			errs.Add("pref", "都道府県を選択肢から選んでください。")
		}
	}
	switch {
	case q.Kind == "":
	case slices.Contains(pref.Kinds(), q.Kind):
		f.FacilityKind = q.Kind
	default:
		errs.Add("kind", "施設種別を選択肢から選んでください。")
	}
	for _, d := range []struct {
		field, raw string
		into       *time.Time
	}{{"from", q.From, &f.From}, {"to", q.To, &f.To}} {
		if d.raw == "" {
			continue
		}
		t, err := jp.ParseISODate(d.raw)
		if err != nil || t.Year() < 2000 || t.Year() > 2100 {
			errs.Add(d.field, "日付を「2026-12-01」の形式で入力してください。")
			continue
		}
		*d.into = t
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		errs.Add("to", "期間の終わりは始まり以降の日付を入力してください。")
		f.To = time.Time{}
	}
	return application.ListRequest{Filter: f, Request: listing.ParseRequest(qs.Get, PerPage)}, q, errs
}

// Page is the part of a list page every kind shares.
type Page struct {
	site.AdminBase
	// Path is the list's own path (/admin/qualification).
	Path        string
	Query       Query
	Errors      form.Errors
	Count       listing.Count
	Statuses    []string
	Prefectures []pref.Prefecture
	Kinds       []string
	// First, Newer, Older, Last are the page links; empty where there is no such page.
	First, Newer, Older, Last string
	// ReplacementNote is said beside the CP932 export.
	ReplacementNote string
}

// NewPage fills the shared part of a list page for the page of rows p.
func NewPage[T any](path string, statuses []string, q Query, errs form.Errors, req listing.Request, p listing.Page[T]) Page {
	pg := Page{Path: path, Query: q, Errors: errs, Count: p.Count, Statuses: statuses, Prefectures: pref.All(),
		Kinds: pref.Kinds(), ReplacementNote: jp.ReplacementNote}
	link := func(k, v string) string {
		vals := q.values()
		if k != "" {
			vals.Set(k, v)
		}
		if s := vals.Encode(); s != "" {
			return path + "?" + s
		}
		return path
	}
	if p.Newer != nil {
		pg.First, pg.Newer = link("", ""), link("before", p.Newer.String())
	}
	if p.Older != nil {
		pg.Older, pg.Last = link("after", p.Older.String()), link("last", "1")
	}
	_ = req
	return pg
}

// ExportURL is the CSV export of the filtered list in an encoding.
func (p Page) ExportURL(enc string) string {
	v := p.Query.values()
	v.Set("encoding", enc)
	return p.Path + "/export.csv?" + v.Encode()
}

// ID reads the route's {id}; 0 when it is not a positive number.
func ID(r *http.Request, param string) int64 {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}
