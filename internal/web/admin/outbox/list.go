package outbox

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/listing"
	"portal/internal/mail"
	"portal/internal/web/site"
)

// pageSize is how many mails one page lists.
const pageSize = 50

// listPage is メール送信状況: the filters and one page of mails, newest first.
type listPage struct {
	site.AdminBase
	Filter    filterValues
	Statuses  []option
	Templates []option
	Mails     []mail.OutboxMail
	// Count is 「123件」 or 「1,000件以上」.
	Count string
	// NewerURL, OlderURL, FirstURL and LastURL page through the list ("" where there is
	// nothing that way).
	NewerURL, OlderURL, FirstURL, LastURL string
	// Problem says why the filter or the position could not be used.
	Problem string
}

// filterValues are the filter as typed, given back in the form.
type filterValues struct {
	Status, Address, Facility, Template, From, Until string
	Prefix                                           bool
}

type option struct {
	Value, Label string
	Selected     bool
}

// StatusLabel names a status for the template.
func (p *listPage) StatusLabel(s string) string { return mail.StatusLabel(s) }

// Messages of the list's own checks.
const (
	msgBadFacility = "施設IDは数字で入力してください。"
	msgBadDate     = "期間は「2026-12-01」の形式で入力してください。"
)

// readFilter reads the filter from the query; what it cannot read is a problem for the page.
func readFilter(q url.Values) (mail.Filter, filterValues, string) {
	in := form.NewInput(q)
	v := filterValues{Status: in.Text("status"), Address: in.Email("address"), Prefix: in.Bool("prefix"),
		Facility: in.Digits("facility"), Template: in.Text("template"), From: in.Text("from"), Until: in.Text("until")}
	f := mail.Filter{Status: v.Status, Address: v.Address, AddressPrefix: v.Prefix, Template: v.Template}
	if !in.Errors.Valid() {
		return mail.Filter{}, filterValues{}, form.MsgUnprintable
	}
	if v.Status != "" && !slices.Contains(mail.Statuses, v.Status) {
		return f, v, Message(mail.ErrBadFilter)
	}
	if v.Facility != "" {
		id, err := strconv.ParseInt(v.Facility, 10, 64)
		if err != nil || id <= 0 {
			return f, v, msgBadFacility
		}
		f.FacilityID = id
	}
	var ok bool
	if f.From, ok = parseDay(v.From); !ok {
		return f, v, msgBadDate
	}
	if f.Until, ok = parseDay(v.Until); !ok {
		return f, v, msgBadDate
	}
	if !f.Until.IsZero() {
		f.Until = f.Until.AddDate(0, 0, 1) // the day given is included
	}
	return f, v, ""
}

// parseDay reads a day of the period filter in JST; "" is no bound.
func parseDay(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := jp.ParseISODate(s)
	return t, err == nil && t.Year() >= 2000 && t.Year() <= 2100
}

// query is the filter as a query string, for the paging links.
func (v filterValues) query() url.Values {
	q := url.Values{}
	for k, s := range map[string]string{"status": v.Status, "address": v.Address, "facility": v.Facility,
		"template": v.Template, "from": v.From, "until": v.Until} {
		if s != "" {
			q.Set(k, s)
		}
	}
	if v.Prefix {
		q.Set("prefix", "1")
	}
	return q
}

// list is the outbox list.
func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, v, problem := readFilter(q)
	page := &listPage{Filter: v}
	page.Statuses = append(page.Statuses, option{"", "すべて", v.Status == ""})
	for _, s := range mail.Statuses {
		page.Statuses = append(page.Statuses, option{s, mail.StatusLabel(s), s == v.Status})
	}
	page.Templates = append(page.Templates, option{"", "すべて", v.Template == ""})
	for _, t := range mail.Templates() {
		page.Templates = append(page.Templates, option{t, mail.TemplateSubject(t) + "（" + t + "）", t == v.Template})
	}
	lq := mail.ListQuery{Filter: f, Limit: pageSize, Last: q.Get("last") == "1"}
	var err error
	if problem == "" {
		if lq.After, err = mail.ParseCursor(q.Get("after")); err == nil {
			lq.Before, err = mail.ParseCursor(q.Get("before"))
		}
		if err != nil {
			problem = Message(err)
		}
	}
	if problem != "" {
		page.Problem = problem
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/outbox/list", page)
		return
	}
	res, err := h.outbox.List(r.Context(), lq)
	if errors.Is(err, mail.ErrBadFilter) || errors.Is(err, mail.ErrBadCursor) {
		page.Problem = Message(err)
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/outbox/list", page)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	page.Mails = res.Mails
	page.Count = listing.Count(res.Count).String()
	link := func(k, val string) string {
		qq := v.query()
		if k != "" {
			qq.Set(k, val)
		}
		if len(qq) == 0 {
			return ListPath
		}
		return ListPath + "?" + qq.Encode()
	}
	if !res.Prev.IsZero() {
		page.NewerURL, page.FirstURL = link("before", res.Prev.String()), link("", "")
	}
	if !res.Next.IsZero() {
		page.OlderURL, page.LastURL = link("after", res.Next.String()), link("last", "1")
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/outbox/list", page)
}
