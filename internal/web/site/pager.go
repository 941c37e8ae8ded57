package site

import (
	"net/http"
	"strconv"
)

// Pager is the paging part of a list page's data: the templates read Page, TotalPages,
// Total, PrevPage and NextPage.
type Pager struct {
	Page       int
	TotalPages int
	Total      int
}

// NewPager pages total items perPage at a time; ok is false when page lies past the end.
func NewPager(page, total, perPage int) (Pager, bool) {
	pages := max(1, (total+perPage-1)/perPage)
	return Pager{Page: page, TotalPages: pages, Total: total}, page <= pages
}

// PrevPage is the previous page's number, 0 when there is none.
func (p Pager) PrevPage() int {
	if p.Page > 1 {
		return p.Page - 1
	}
	return 0
}

// NextPage is the next page's number, 0 when there is none.
func (p Pager) NextPage() int {
	if p.Page < p.TotalPages {
		return p.Page + 1
	}
	return 0
}

// Offset is the number of items before the page.
func (p Pager) Offset(perPage int) int { return (p.Page - 1) * perPage }

// PageParam reads ?page=N: 1 when absent, ok false when it is not a page number.
func PageParam(r *http.Request) (page int, ok bool) {
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000000 {
		return 0, false
	}
	return n, true
}
