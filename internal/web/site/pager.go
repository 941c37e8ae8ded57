package site

import (
	"context"
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

// ListPage reads the page ?page= asks for of a list that list reads by limit and offset,
// with its total: the rows and their pager, or false once it has answered (404 for a page
// that is not a number or lies past the end, the error page for a failed read).
func ListPage[T any](s *Site, w http.ResponseWriter, r *http.Request, perPage int,
	list func(ctx context.Context, limit, offset int) ([]T, int, error)) ([]T, Pager, bool) {
	n, ok := PageParam(r)
	if !ok {
		s.NotFound(w, r)
		return nil, Pager{}, false
	}
	rows, total, err := list(r.Context(), perPage, (n-1)*perPage)
	if err != nil {
		s.ServerError(w, r, err)
		return nil, Pager{}, false
	}
	pg, ok := NewPager(n, total, perPage)
	if !ok {
		s.NotFound(w, r)
		return nil, Pager{}, false
	}
	return rows, pg, true
}
