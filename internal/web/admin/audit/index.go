package audit

import (
	"net/http"

	"portal/internal/auditlog"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/listing"
	"portal/internal/operator"
	"portal/internal/web/site"
)

// perPage is the number of entries on one page.
const perPage = 50

// indexPage is 操作履歴: the filter, one page of entries and the export.
type indexPage struct {
	site.AdminBase
	Form      filterForm
	Errors    form.Errors
	Operators []operator.Operator
	Actions   []auditlog.Action
	Entries   []auditlog.Entry
	Count     listing.Count
	// The pager's links; empty when there is no such page.
	FirstURL, NewerURL, OlderURL, LastURL string
	// ExportQuery is the filter for the export form's hidden fields.
	ExportQuery     map[string]string
	ReplacementNote string
}

// index shows one page of the trail, newest first.
func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ops, err := h.audit.Operators(ctx)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	q := r.URL.Query()
	ff, f, errs := readFilter(q, ops)
	page := &indexPage{Form: ff, Errors: errs, Operators: ops, Actions: auditlog.Actions,
		ExportQuery: map[string]string{}, ReplacementNote: jp.ReplacementNote}
	for k, vs := range ff.values() {
		page.ExportQuery[k] = vs[0]
	}
	status := http.StatusOK
	if !errs.Valid() {
		// A malformed filter shows the form with its messages and no entries, rather than
		// entries the operator did not ask for.
		status = http.StatusUnprocessableEntity
		h.RenderAdmin(w, r, status, "admin/audit/index", page)
		return
	}
	req := auditlog.Request{Filter: f, Request: listing.ParseRequest(q.Get, perPage)}
	p, err := h.audit.List(ctx, req)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	page.Entries, page.Count = p.Rows, p.Count
	link := func(k string, key *listing.Key) string {
		v := ff.values()
		switch k {
		case "first":
		case "last":
			v.Set("last", "1")
		default:
			v.Set(k, key.String())
		}
		return "/admin/audit?" + v.Encode()
	}
	if p.Newer != nil {
		page.FirstURL, page.NewerURL = link("first", nil), link("before", p.Newer)
	}
	if p.Older != nil {
		page.OlderURL, page.LastURL = link("after", p.Older), link("last", nil)
	}
	h.RenderAdmin(w, r, status, "admin/audit/index", page)
}
