package web

import (
	"net/http"

	"portal/internal/content"
)

type downloadsPage struct {
	Base
	Documents []content.Document
}

// downloadsIndex is 各種資料ダウンロード: the documents the portal can print for you.
func (s *Server) downloadsIndex(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "downloads", &downloadsPage{Documents: content.Documents()})
}
