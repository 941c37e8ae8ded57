package web

import (
	"net/http"
	"strconv"
)

// pager is the paging part of a list page's data: the templates read Page, TotalPages,
// Total, PrevPage and NextPage.
type pager struct {
	Page       int
	TotalPages int
	Total      int
}

// newPager pages total items perPage at a time; ok is false when page lies past the end.
func newPager(page, total, perPage int) (pager, bool) {
	pages := max(1, (total+perPage-1)/perPage)
	return pager{Page: page, TotalPages: pages, Total: total}, page <= pages
}

// PrevPage and NextPage are 0 when there is no such page.
func (p pager) PrevPage() int {
	if p.Page > 1 {
		return p.Page - 1
	}
	return 0
}

func (p pager) NextPage() int {
	if p.Page < p.TotalPages {
		return p.Page + 1
	}
	return 0
}

// Offset is the number of items before the page.
func (p pager) Offset(perPage int) int { return (p.Page - 1) * perPage }

// pageParam reads ?page=N: 1 when absent, ok false when it is not a page number.
func pageParam(r *http.Request) (page int, ok bool) {
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
