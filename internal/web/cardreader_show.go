package web

import (
	"net/http"
)

// cardReaderShow is 顔認証付きカードリーダー申込: the facility's live application in the form,
// or an empty form. ?back=1 (「入力画面に戻る」) shows what waits on the confirm page;
// ?reset=1 (「この画面を開いた状態に戻す」) drops it.
func (s *Server) cardReaderShow(w http.ResponseWriter, r *http.Request) {
	p := currentUser(r)
	var f cardReaderForm
	pending, ok := s.pendingCardReader(r)
	switch {
	case r.URL.Query().Get("reset") == "1":
		s.sessions.Remove(r.Context(), sessCardReaderPending)
	case r.URL.Query().Get("back") == "1" && ok:
		f = pending
	}
	page, err := s.newCardReaderPage(r, p, f, nil)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if f == (cardReaderForm{}) && page.Existing != nil {
		page.Form = formFromApplication(*page.Existing)
		page, err = s.newCardReaderPage(r, p, page.Form, nil)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "cardreader_form", page)
}
