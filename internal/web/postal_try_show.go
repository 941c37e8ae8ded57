package web

import (
	"net/http"

	"portal/internal/form"
	"portal/internal/pref"
)

// postalTryForm is what the 郵便番号から住所検索 page keeps of what was typed.
type postalTryForm struct {
	Zip1, Zip2 string
	Prefecture int
	Address    string
	Building   string
}

// postalTryPage is the data of web/templates/pages/postal_try.html.
type postalTryPage struct {
	Base
	Form        postalTryForm
	Errors      form.Errors
	Postal      *postalFill
	Prefectures []pref.Prefecture
	// DataSource names the postal data in use (package and date, or the imported file).
	DataSource string
}

// newPostalTryPage returns the page data every rendering of the page starts from.
func (s *Server) newPostalTryPage(r *http.Request) *postalTryPage {
	src, err := s.postal.Source(r.Context())
	if err != nil {
		s.log.WarnContext(r.Context(), "postal data source", requestAttrs(r), errAttr(err))
	}
	return &postalTryPage{Prefectures: pref.All(), DataSource: src}
}

// postalTryShow shows 郵便番号から住所検索, a public page where anyone can find the address
// of a postal code, with or without JavaScript.
func (s *Server) postalTryShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "postal_try", s.newPostalTryPage(r))
}
