package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/account"
)

type mypageMessagePage struct {
	Base
	Message account.Message
}

// mypageMessageShow opens a document addressed to the signed-in facility. Another
// facility's document is a 404, like one that does not exist.
func (s *Server) mypageMessageShow(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		s.errorStatus(w, r, http.StatusNotFound)
		return
	}
	m, err := account.OpenMessage(r.Context(), s.db, currentUser(r).Facility.ID, id)
	if errors.Is(err, account.ErrNotFound) {
		s.errorStatus(w, r, http.StatusNotFound)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "mypage_message", &mypageMessagePage{Message: m})
}
