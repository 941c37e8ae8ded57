// Package facility is the call center's facility pages in the back office: the facility
// search (施設検索, also the first thing on /admin), the facility page with everything the
// portal holds about one facility, and the operators' steps from it, each confirmed on its
// own page (delete provisional credentials, reissue the アカウント登録案内文書, issue a
// パスワード等通知書 — both printed on the spot —, unlock a sign-in, mail a new reset or
// registration link).
package facility

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/facility"
	"portal/internal/web/site"
)

// SearchPath is the facility search; the admin home's search box sends its query here.
const SearchPath = "/admin/facilities"

// Handler serves the facility pages.
type Handler struct {
	*site.Site
	facilities *facility.Service
	// InquiryPath is the page that opens an inquiry (問い合わせを起票) for a facility given as
	// ?facility=ID; the router sets it once that page exists, and the facility page then
	// shows the button in its slot.
	InquiryPath string
}

// New returns the facility pages.
func New(s *site.Site, facilities *facility.Service) *Handler {
	return &Handler{Site: s, facilities: facilities}
}

// Mount registers the routes (inside the operators' group).
func (h *Handler) Mount(r chi.Router) {
	r.Get(SearchPath, h.search)
	r.Get(SearchPath+"/{id}", h.show)
	for _, a := range actions {
		r.Get(SearchPath+"/{id}/"+a.slug, h.confirm(a))
		r.Post(SearchPath+"/{id}/"+a.slug, h.submit(a))
	}
}

// facilityID reads {id} of the route; 0 when it is not a positive number.
func facilityID(r *http.Request) int64 {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}
