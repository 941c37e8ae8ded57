package facility

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"portal/internal/facility"
	"portal/internal/form"
	"portal/internal/web/site"
)

// searchPage is 施設検索: the box and what it found.
type searchPage struct {
	site.AdminBase
	// Query is what was typed, given back in the box (not when it was unusable text).
	Query string
	// Searched is set once a query was sent.
	Searched bool
	// Problem says why the query could not be used.
	Problem string
	Result  facility.Result
}

// search answers the search box: the whole page, or with ?fragment=1 only the results, which
// the page's script fetches as the operator types (the page works the same without it).
func (h *Handler) search(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("q")
	page := &searchPage{}
	if utf8.RuneCountInString(raw) <= facility.MaxQuery && form.Printable(raw, false) {
		page.Query = form.Clean(raw)
	}
	name := "admin/facility/search"
	if r.URL.Query().Get("fragment") == "1" {
		name = "admin/facility/results"
	}
	status := http.StatusOK
	if strings.TrimSpace(raw) != "" {
		page.Searched = true
		res, err := h.facilities.Search(r.Context(), raw)
		var qe *facility.QueryError
		switch {
		case errors.As(err, &qe):
			page.Problem, status = qe.Message, http.StatusUnprocessableEntity
		case err != nil:
			h.ServerError(w, r, err)
			return
		default:
			page.Result = res
		}
	}
	h.RenderAdmin(w, r, status, name, page)
}
