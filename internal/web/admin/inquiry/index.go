package inquiry

import (
	"net/http"
	"net/url"
	"slices"

	"portal/internal/inquiry"
	"portal/internal/listing"
	"portal/internal/web/site"
)

// pageSize is how many cases one page of the inbox shows.
const pageSize = 50

type indexPage struct {
	site.AdminBase
	Filter     inquiry.Filter
	Assignee   string
	Statuses   []inquiry.Status
	Categories []string
	Priorities []option
	Assignees  []inquiry.Person
	Counts     []inquiry.StatusCount
	Page       listing.Page[inquiry.Inquiry]
	// Newer, Older, First, Last are the pager's links (empty when there is none).
	Newer, Older, First, Last string
}

// readFilter reads the inbox's filters from the query; values that are not choices are
// dropped.
func readFilter(q url.Values) (inquiry.Filter, string) {
	var f inquiry.Filter
	if s := inquiry.Status(q.Get("status")); s.Valid() {
		f.Status = s
	}
	assignee := q.Get("assignee")
	switch assignee {
	case "none":
		f.Unassigned = true
	default:
		if f.Assignee = number(assignee); f.Assignee == 0 {
			assignee = ""
		}
	}
	if c := q.Get("category"); slices.Contains(inquiry.Categories, c) {
		f.Category = c
	}
	if p := int(number(q.Get("priority"))); slices.Contains(inquiry.Priorities, p) {
		f.Priority = p
	}
	if ref := q.Get("q"); len(ref) <= 32 {
		f.Reference = ref
	}
	f.FacilityID = number(q.Get("facility"))
	return f, assignee
}

// index is the inbox: filters, a count per status, and keyset pages newest first.
func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, assignee := readFilter(q)
	req := listing.ParseRequest(q.Get, pageSize)
	ctx := r.Context()
	page, err := h.inquiries.List(ctx, f, req)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	counts, err := h.inquiries.Counts(ctx)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	people, err := h.inquiries.Assignees(ctx)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	p := &indexPage{Filter: f, Assignee: assignee, Statuses: inquiry.Statuses, Categories: inquiry.Categories,
		Priorities: priorityOptions(), Assignees: people, Counts: counts, Page: page}
	keep := url.Values{}
	for _, k := range []string{"status", "assignee", "category", "priority", "q", "facility"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	link := func(k, v string) string {
		u := url.Values{}
		for key, vs := range keep {
			u[key] = vs
		}
		if k != "" {
			u.Set(k, v)
		}
		if s := u.Encode(); s != "" {
			return Base + "?" + s
		}
		return Base
	}
	if page.Newer != nil {
		p.Newer, p.First = link("before", page.Newer.String()), link("", "")
	}
	if page.Older != nil {
		p.Older, p.Last = link("after", page.Older.String()), link("last", "1")
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/inquiry/index", p)
}
