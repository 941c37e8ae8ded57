package cardreader

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"portal/internal/cardreader"
	"portal/internal/form"
	"portal/internal/pref"
	"portal/internal/web/site"
)

// indexPage is 申請処理（顔認証付きカードリーダー）: filters, one page of
// applications, and the CSV export per maker.
type indexPage struct {
	site.AdminBase
	Filter      cardreader.Filter
	Rows        []cardreader.Row
	Total       int
	Pages       int
	PrevURL     string
	NextURL     string
	Statuses    []string
	Makers      []string
	Prefectures []pref.Prefecture
	Kinds       []string
	SortKeys    []sortKey
}

type sortKey struct{ Key, Label string }

var sortLabels = map[string]string{"new": "申込日の新しい順", "old": "申込日の古い順", "reference": "申込番号順",
	"prefecture": "都道府県・コード順", "delivery": "配送予定日順", "facility": "医療機関等名称順"}

const perPage = 50

// readFilter reads the filter from the query string; anything unknown is ignored.
func readFilter(q url.Values, makers []string) cardreader.Filter {
	in := form.NewInput(q)
	f := cardreader.Filter{Page: in.Int("page"), PerPage: perPage}
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
	if f.Page < 1 {
		f.Page = 1
	}
	return f
}

func (f indexPage) pageURL(page int) string {
	q := url.Values{}
	if f.Filter.Status != "" {
		q.Set("status", f.Filter.Status)
	}
	if f.Filter.Maker != "" {
		q.Set("maker", f.Filter.Maker)
	}
	if f.Filter.Prefecture != 0 {
		q.Set("pref", strconv.Itoa(f.Filter.Prefecture))
	}
	if f.Filter.Kind != "" {
		q.Set("kind", f.Filter.Kind)
	}
	if f.Filter.Sort != "" {
		q.Set("sort", f.Filter.Sort)
	}
	q.Set("page", strconv.Itoa(page))
	return "/admin/cardreader?" + q.Encode()
}

// index lists applications by status, maker, prefecture and facility type.
func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	makers, err := h.readers.Makers(r.Context())
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	f := readFilter(r.URL.Query(), makers)
	rows, total, err := h.readers.List(r.Context(), f)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	page := &indexPage{Filter: f, Rows: rows, Total: total, Statuses: cardreader.Statuses, Makers: makers,
		Prefectures: pref.All(), Kinds: pref.Kinds()}
	page.Pages = (total + perPage - 1) / perPage
	if f.Page > 1 {
		page.PrevURL = page.pageURL(f.Page - 1)
	}
	if f.Page < page.Pages {
		page.NextURL = page.pageURL(f.Page + 1)
	}
	for _, k := range cardreader.SortKeys() {
		page.SortKeys = append(page.SortKeys, sortKey{k, sortLabels[k]})
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/cardreader/index", page)
}
