package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"portal/internal/postal"
)

// postalLookupResponse is the JSON of GET /postal/lookup.
type postalLookupResponse struct {
	Candidates []postal.Address `json:"candidates"`
	// Message is set when there is no candidate: why, in Japanese, for the user.
	Message string `json:"message,omitempty"`
}

// postalLookup answers GET /postal/lookup?code=1000013 with the candidate addresses:
// 200 with candidates (or none and MessageNotFound), 422 with MessageInvalidCode when
// the code is not 7 digits after normalising.
func (s *Server) postalLookup(w http.ResponseWriter, r *http.Request) {
	cands, err := s.postal.Lookup(r.Context(), r.URL.Query().Get("code"))
	res := postalLookupResponse{Candidates: cands}
	status := http.StatusOK
	switch {
	case errors.Is(err, postal.ErrInvalidCode):
		status, res.Message = http.StatusUnprocessableEntity, postal.MessageInvalidCode
		w.Header().Set("Cache-Control", "no-store")
	case err != nil:
		s.log.ErrorContext(r.Context(), "request failed", requestAttrs(r), errAttr(err))
		status, res.Message = http.StatusInternalServerError, errorTexts[http.StatusInternalServerError][1]
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
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
