package public

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"time"

	"portal/internal/content"
	"portal/internal/jp"
)

// atomEntries is how many お知らせ the feed carries.
const atomEntries = 20

// The Atom feed (RFC 4287) of /news.atom, as encoding/xml writes it.
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle"`
	Links    []atomLink  `xml:"link"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Author   atomAuthor  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title     string       `xml:"title"`
	Link      atomLink     `xml:"link"`
	ID        string       `xml:"id"`
	Published string       `xml:"published"`
	Updated   string       `xml:"updated"`
	Category  atomCategory `xml:"category"`
	Content   atomText     `xml:"content"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// rfc3339 is a time as Atom wants it, in JST: 2026-12-01T09:00:00+09:00.
func rfc3339(t time.Time) string { return t.In(jp.Zone).Format(time.RFC3339) }

// newsAtom is the お知らせ feed: the newest published items, each from its publish time on.
func (h *Handler) newsAtom(w http.ResponseWriter, r *http.Request) {
	news, err := h.content.News(r.Context(), atomEntries, 0)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	base := h.Config.BaseURL
	feed := atomFeed{Lang: "ja", Title: "お知らせ | 医療機関等向けポータルサイト",
		Subtitle: "オンライン資格確認・医療情報化支援基金関係 医療機関等向けポータルサイトのお知らせ",
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/news.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/news"}},
		ID: base + "/news", Author: atomAuthor{Name: "社会保険診療報酬支払基金"}}
	var latest time.Time
	for _, n := range news {
		published := n.PublishedOn()
		updated := n.UpdatedAt
		if published.After(updated) {
			updated = published // scheduled before it went out: it is new when it appears
		}
		if updated.After(latest) {
			latest = updated
		}
		href := base + "/news/" + strconv.FormatInt(n.ID, 10)
		feed.Entries = append(feed.Entries, atomEntry{Title: n.Title, Link: atomLink{Rel: "alternate", Type: "text/html", Href: href},
			ID: href, Published: rfc3339(published), Updated: rfc3339(updated), Category: atomCategory{Term: n.Category},
			Content: atomText{Type: "text", Text: content.PlainText(n.Body)}})
	}
	if latest.IsZero() {
		latest = time.Date(2020, 7, 1, 0, 0, 0, 0, jp.Zone) // no news yet: the portal's opening
	}
	feed.Updated = rfc3339(latest)
	body, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}
