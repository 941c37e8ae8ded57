package web

import (
	"net/http"
	"strconv"
	"strings"

	"portal/internal/cardreader"
)

// cardReaderCompletePage is 「送信が完了しました。ありがとうございました。」 with the reference.
type cardReaderCompletePage struct {
	Base
	Reference string
	Outcome   string // 申込, 変更, 取消 or 変更なし
}

// cardReaderComplete shows the completion of the last confirmed submit of this session.
func (s *Server) cardReaderComplete(w http.ResponseWriter, r *http.Request) {
	done := s.sessions.GetString(r.Context(), sessCardReaderDone)
	ref, code, ok := strings.Cut(done, "|")
	if !ok {
		http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		return
	}
	n, _ := strconv.Atoi(code)
	outcome := map[cardreader.Outcome]string{cardreader.Created: "申込", cardreader.Changed: "変更",
		cardreader.Cancelled: "取消", cardreader.Unchanged: "変更なし"}[cardreader.Outcome(n)]
	s.render(w, r, http.StatusOK, "cardreader_complete", &cardReaderCompletePage{Reference: ref, Outcome: outcome})
}
