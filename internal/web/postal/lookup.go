package postal

import (
	"encoding/json"
	"errors"
	"net/http"

	"portal/internal/postal"
	"portal/internal/web/site"
)

// postalLookupResponse is the JSON of GET /postal/lookup.
type postalLookupResponse struct {
	Candidates []postal.Address `json:"candidates"`
	// Message is set when there is no candidate: why, in Japanese, for the user.
	Message string `json:"message,omitempty"`
}

// lookup answers GET /postal/lookup?code=1000013 with the candidate addresses:
// 200 with candidates (or none and MessageNotFound), 422 with MessageInvalidCode when
// the code is not 7 digits after normalising.
func (h *Handler) lookup(w http.ResponseWriter, r *http.Request) {
	cands, err := h.postal.Lookup(r.Context(), r.URL.Query().Get("code"))
	res := postalLookupResponse{Candidates: cands}
	status := http.StatusOK
	switch {
	case errors.Is(err, postal.ErrInvalidCode):
		status, res.Message = http.StatusUnprocessableEntity, postal.MessageInvalidCode
		w.Header().Set("Cache-Control", "no-store")
	case err != nil:
		h.Log.ErrorContext(r.Context(), "request failed", site.RequestAttrs(r), site.ErrAttr(err))
		status, res.Message = http.StatusInternalServerError, "申し訳ございません。時間をおいてもう一度お試しください。"
		w.Header().Set("Cache-Control", "no-store")
	case len(cands) == 0:
		res.Message = postal.MessageNotFound
		w.Header().Set("Cache-Control", "public, max-age=3600")
	default:
		// Japan Post updates monthly; a day's staleness in a browser cache is harmless.
		w.Header().Set("Cache-Control", "public, max-age=86400")
	}
	if res.Candidates == nil {
		res.Candidates = []postal.Address{}
	}
	body, err := json.Marshal(res)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
