package public

import (
	"net/http"
	"regexp"

	"portal/internal/content"
	"portal/internal/web/site"
)

// catalogEntry is a catalog model with its notes cut into text and web addresses, so the
// template can link the addresses without trusting any markup in the notes.
type catalogEntry struct {
	content.CardReaderModel
	NoteParts []textPart
}

type textPart struct {
	Text string
	URL  string // set when the part is a web address
}

var webAddress = regexp.MustCompile(`https?://[!-~]+`)

// splitURLs cuts s into plain text and http(s) addresses.
func splitURLs(s string) []textPart {
	var parts []textPart
	last := 0
	for _, m := range webAddress.FindAllStringIndex(s, -1) {
		if m[0] > last {
			parts = append(parts, textPart{Text: s[last:m[0]]})
		}
		parts = append(parts, textPart{Text: s[m[0]:m[1]], URL: s[m[0]:m[1]]})
		last = m[1]
	}
	if last < len(s) {
		parts = append(parts, textPart{Text: s[last:]})
	}
	return parts
}

type catalogPage struct {
	site.Base
	Models []catalogEntry
}

// catalogShow is 顔認証付きカードリーダーカタログ, read from the database.
func (h *Handler) catalogShow(w http.ResponseWriter, r *http.Request) {
	models, err := h.content.CardReaders(r.Context(), true)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	entries := make([]catalogEntry, len(models))
	for i, m := range models {
		entries[i] = catalogEntry{CardReaderModel: m, NoteParts: splitURLs(m.Notes)}
	}
	h.Render(w, r, http.StatusOK, "public/catalog", &catalogPage{Models: entries})
}
