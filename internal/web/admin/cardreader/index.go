package cardreader

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"unicode/utf8"

	"portal/internal/cardreader"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/listing"
	"portal/internal/pref"
	"portal/internal/web/site"
)

// indexPage is 申請処理（顔認証付きカードリーダー）: the search and filters, one page of
// applications in the chosen sort, and the CSV export per maker.
type indexPage struct {
	site.AdminBase
	Filter      cardreader.Filter
	Errors      form.Errors
	Rows        []cardreader.Row
	Count       listing.Count
	Statuses    []string
	Makers      []string
	Prefectures []pref.Prefecture
	Kinds       []string
	SortKeys    []sortKey
	// The pager's links; empty when there is no such page.
	FirstURL, PrevURL, NextURL, LastURL string
	ReplacementNote                     string
}

type sortKey struct{ Key, Label string }

var sortLabels = map[string]string{"new": "申込日の新しい順", "old": "申込日の古い順",
	"delivery": "配送予定日順（未定は最後）", "prefecture": "都道府県・医療機関等コード順"}

const (
	perPage = 50
	// maxQuery bounds the search box: no name or code is longer.
	maxQuery = 100
	msgQuery = "検索語は100文字以内で入力してください。"
)

// readFilter reads the filter from the query string; unknown values are ignored (a stale
// link), an over-long search is said beside the box.
func readFilter(q url.Values, makers []string) (cardreader.Filter, form.Errors) {
	in := form.NewInput(q)
	var f cardreader.Filter
	if s := in.Text("status"); slices.Contains(cardreader.Statuses, s) {
		f.Status = s
	}
	if m := in.Text("maker"); slices.Contains(makers, m) {
		f.Maker = m
	}
	if p := in.Int("pref"); p >= 1 && p <= 47 {
		f.Prefecture = p
	}
	if k := in.Text("kind"); slices.Contains(pref.Kinds(), k) {
		f.Kind = k
	}
	if s := in.Text("sort"); sortLabels[s] != "" {
		f.Sort = s
	}
	f.Query = in.Text("q")
	errs := in.Errors
	if utf8.RuneCountInString(f.Query) > maxQuery && !errs.Has("q") {
		errs.Add("q", msgQuery)
	}
	if !errs.Valid() {
		f.Query = ""
	}
	return f, errs
}

func filterValues(f cardreader.Filter) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"status": f.Status, "maker": f.Maker, "kind": f.Kind, "sort": f.Sort, "q": f.Query} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.Prefecture != 0 {
		q.Set("pref", strconv.Itoa(f.Prefecture))
	}
	return q
}

// index lists applications by search, status, maker, prefecture and facility type.
func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	makers, err := h.readers.Makers(r.Context())
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	f, errs := readFilter(r.URL.Query(), makers)
	page := &indexPage{Filter: f, Errors: errs, Statuses: cardreader.Statuses, Makers: makers,
		Prefectures: pref.All(), Kinds: pref.Kinds(), ReplacementNote: jp.ReplacementNote}
	for _, k := range cardreader.SortKeys() {
		page.SortKeys = append(page.SortKeys, sortKey{k, sortLabels[k]})
	}
	if !errs.Valid() {
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/cardreader/index", page)
		return
	}
	req := cardreader.ListRequest{Filter: f, CursorRequest: listing.ParseCursorRequest(r.URL.Query().Get, perPage)}
	p, err := h.readers.List(r.Context(), req)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	page.Rows, page.Count = p.Rows, p.Count
	link := func(k string, c *listing.Cursor) string {
		v := filterValues(f)
		switch k {
		case "first":
		case "last":
			v.Set("last", "1")
		default:
			v.Set(k, c.String())
		}
		return "/admin/cardreader?" + v.Encode()
	}
	if p.Prev != nil {
		page.FirstURL, page.PrevURL = link("first", nil), link("before", p.Prev)
	}
	if p.Next != nil {
		page.NextURL, page.LastURL = link("after", p.Next), link("last", nil)
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/cardreader/index", page)
}
