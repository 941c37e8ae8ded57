package web

import "net/http"

// application is one entry of 「利用申請・補助申請される方」: its form is open when Href is set,
// and shown as （準備中） otherwise.
type application struct {
	Number int
	Title  string
	Href   string
}

// applications is the numbered list of the top page and of /flow, as the portal shows it:
// only the card reader application is open.
var applications = []application{
	{1, "顔認証付きカードリーダー申し込み", "/cardreader"},
	{2, "オンライン資格確認利用申請", ""},
	{3, "電子証明書発行申請", ""},
	{4, "オンライン資格確認関係補助金申請", ""},
	{5, "オンライン請求利用申請", ""},
	{6, "電子カルテ標準化関係補助金申請", ""},
}

type flowPage struct {
	Base
	Applications []application
}

// flowShow is 利用申請・補助申請の流れ.
func (s *Server) flowShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "flow", &flowPage{Applications: applications})
}
