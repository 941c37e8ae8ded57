package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"portal/internal/cardreader"
	"portal/internal/form"
	"portal/internal/pref"
)

// adminCardReaderIndexPage is 申請処理（顔認証付きカードリーダー）: filters, one page of
// applications, and the CSV export per maker.
type adminCardReaderIndexPage struct {
	AdminBase
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
	SortKeys    []adminSortKey
}

type adminSortKey struct{ Key, Label string }

var cardReaderSortLabels = map[string]string{"new": "申込日の新しい順", "old": "申込日の古い順", "reference": "受付番号順",
	"prefecture": "都道府県・コード順", "delivery": "配送予定日順", "facility": "医療機関等名称順"}

const adminCardReaderPerPage = 50

// readCardReaderFilter reads the filter from the query string; anything unknown is ignored.
func readCardReaderFilter(q url.Values, makers []string) cardreader.Filter {
	in := form.NewInput(q)
	f := cardreader.Filter{Page: in.Int("page"), PerPage: adminCardReaderPerPage}
	if s := in.Text("status"); slices.Contains(cardreader.Statuses, s) {
		f.Status = s
	}
	if m := in.Text("maker"); slices.Contains(makers, m) {
		f.Maker = m
	}
	if p := in.Int("pref"); p >= 1 && p <= 47 {
		f.Prefecture = p
	}
	if k := in.Text("kind"); slices.Contains([]string{"病院", "診療所", "薬局"}, k) {
		f.Kind = k
	}
	if s := in.Text("sort"); cardReaderSortLabels[s] != "" {
		f.Sort = s
	}
	if f.Page < 1 {
		f.Page = 1
	}
	return f
}

func (f adminCardReaderIndexPage) pageURL(page int) string {
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

// adminCardReaderIndex lists applications by status, maker, prefecture and facility type.
func (s *Server) adminCardReaderIndex(w http.ResponseWriter, r *http.Request) {
	makers, err := cardreader.Makers(r.Context(), s.db)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := readCardReaderFilter(r.URL.Query(), makers)
	rows, total, err := cardreader.List(r.Context(), s.db, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := &adminCardReaderIndexPage{Filter: f, Rows: rows, Total: total, Statuses: cardreader.Statuses, Makers: makers,
		Prefectures: pref.All(), Kinds: []string{"病院", "診療所", "薬局"}}
	page.Pages = (total + adminCardReaderPerPage - 1) / adminCardReaderPerPage
	if f.Page > 1 {
		page.PrevURL = page.pageURL(f.Page - 1)
	}
	if f.Page < page.Pages {
		page.NextURL = page.pageURL(f.Page + 1)
	}
	for _, k := range cardreader.SortKeys() {
		page.SortKeys = append(page.SortKeys, adminSortKey{k, cardReaderSortLabels[k]})
	}
	s.renderAdmin(w, r, http.StatusOK, "admin_cardreader_index", page)
}
