package public

import (
	"net/http"

	"portal/internal/content"
	"portal/internal/web/site"
)

type faqPage struct {
	site.Base
	Result content.FAQResult
	// Searched is true when a query was given, so the page says how many matched.
	Searched bool
	// Categories is every category, for the table of contents.
	Categories []content.FAQCategory
}

// faqIndex is よくあるお問い合わせ with keyword search (?q=). Filtering happens here, so
// it works without JavaScript; the query goes back into the box, escaped by the template.
func (h *Handler) faqIndex(w http.ResponseWriter, r *http.Request) {
	res := content.SearchFAQ(r.URL.Query().Get("q"))
	h.Render(w, r, http.StatusOK, "public/faq", &faqPage{
		Result:     res,
		Searched:   res.Query != "",
		Categories: content.FAQCategories(),
	})
}
