package postal

import (
	"net/http"

	"portal/internal/form"
	"portal/internal/pref"
	"portal/internal/web/site"
)

// tryForm is what the 郵便番号から住所検索 page keeps of what was typed.
type tryForm struct {
	Zip1, Zip2 string
	Prefecture int
	Address    string
	Building   string
}

// tryPage is the data of web/templates/postal/try.html.
type tryPage struct {
	site.Base
	Form        tryForm
	Errors      form.Errors
	Postal      *Fill
	Prefectures []pref.Prefecture
	// DataSource names the postal data in use (package and date, or the imported file).
	DataSource string
}

// newTryPage returns the page data every rendering of the page starts from.
func (h *Handler) newTryPage(r *http.Request) *tryPage {
	src, err := h.postal.Source(r.Context())
	if err != nil {
		h.Log.WarnContext(r.Context(), "postal data source", site.RequestAttrs(r), site.ErrAttr(err))
	}
	return &tryPage{Prefectures: pref.All(), DataSource: src}
}

// tryShow shows 郵便番号から住所検索, a public page where anyone can find the address
// of a postal code, with or without JavaScript.
func (h *Handler) tryShow(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "postal/try", h.newTryPage(r))
}
