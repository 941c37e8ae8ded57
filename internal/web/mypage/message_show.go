package mypage

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/account"
	"portal/internal/document"
	"portal/internal/web/site"
)

type messagePage struct {
	site.Base
	Message account.Message
}

// messageShow opens a document addressed to the signed-in facility. Another
// facility's document is a 404, like one that does not exist.
func (h *Handler) messageShow(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		h.Error(w, r, http.StatusNotFound)
		return
	}
	m, err := h.accounts.OpenMessage(r.Context(), site.CurrentUser(r).Facility.ID, id)
	if errors.Is(err, account.ErrNotFound) {
		h.Error(w, r, http.StatusNotFound)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Render(w, r, http.StatusOK, "mypage/message", &messagePage{Message: m})
}

// messageFile sends the PDF of a document addressed to the signed-in facility and marks
// it read. Any other ID, another facility's included, is the 404 page.
func (h *Handler) messageFile(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		h.Error(w, r, http.StatusNotFound)
		return
	}
	f, err := h.documents.FacilityFile(r.Context(), site.CurrentUser(r).Facility.ID, id)
	if errors.Is(err, document.ErrNotFound) {
		h.Error(w, r, http.StatusNotFound)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	site.Download(w, f.Filename, "application/pdf", f.Data)
}
