package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// Renderer holds every page template, parsed once at start-up: each page is the shared
// layout and partials plus its own file, so pages cannot overwrite each other's blocks.
type Renderer struct {
	pages map[string]*template.Template
}

// Base is what the layout needs on every page; each page's data struct embeds it.
type Base struct {
	// CSRFToken goes into every form as the hidden field csrf_token.
	CSRFToken string
	// Path is the request path, for marking the current navigation entry.
	Path string
	// DevMailbox is true when mails go to the built-in catcher (/dev/mailbox).
	DevMailbox bool
	// Flash is a one-time notice carried over a redirect.
	Flash string
	// SignedIn is the facility account's display name when someone is signed in.
	SignedIn string
}

// base lets the renderer fill the layout fields of any page struct that embeds Base.
func (b *Base) base() *Base { return b }

type pageData interface{ base() *Base }

var funcs = template.FuncMap{
	"date": func(t time.Time) string { return t.Format("2006年1月2日") },
	"nl2br": func(s string) template.HTML {
		return template.HTML(strings.ReplaceAll(template.HTMLEscapeString(s), "\n", "<br>"))
	},
	// current reports whether the page at path belongs to the menu entry prefix.
	"current": func(path, prefix string) bool {
		return path == prefix || (prefix != "/" && strings.HasPrefix(path, prefix+"/"))
	},
}

// NewRenderer parses templates/layouts, templates/partials and one template per file in
// templates/pages. It fails at start-up, not at request time, when a page is broken.
func NewRenderer(fsys fs.FS) (*Renderer, error) {
	shared := template.New("").Funcs(funcs)
	for _, dir := range []string{"templates/layouts/*.html", "templates/partials/*.html"} {
		if _, err := shared.ParseFS(fsys, dir); err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", dir, err)
		}
	}
	files, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	r := &Renderer{pages: make(map[string]*template.Template, len(files))}
	for _, f := range files {
		t, err := shared.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(fsys, f); err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", f, err)
		}
		for _, block := range []string{"title", "main"} {
			if t.Lookup(block) == nil {
				return nil, fmt.Errorf("web: %s does not define %q", f, block)
			}
		}
		r.pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return r, nil
}

// Render writes page name with data into a buffer; only a complete page is sent, so a
// template error becomes a clean error page instead of half a page.
func (r *Renderer) Render(name string, data any) ([]byte, error) {
	t, ok := r.pages[name]
	if !ok {
		return nil, fmt.Errorf("web: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return nil, fmt.Errorf("web: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// render fills the layout fields of data and writes page name with the given status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data pageData) {
	s.fillBase(r, data.base())
	body, err := s.tmpl.Render(name, data)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeHTML(w, status, body)
}

// fillBase sets what the layout needs from the request.
func (s *Server) fillBase(r *http.Request, b *Base) {
	b.CSRFToken = s.csrfToken(r)
	b.Path = r.URL.Path
	b.DevMailbox = s.cfg.DevMailbox()
	if b.Flash == "" {
		b.Flash = s.sessions.PopString(r.Context(), "flash")
	}
	if p := currentUser(r); p != nil {
		b.SignedIn = p.DisplayName()
	}
}

func writeHTML(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// errorPage is the data of the 403, 404, 405, 400 and 500 pages.
type errorPage struct {
	Base
	Status  int
	Heading string
	Message string
}

var errorTexts = map[int][2]string{
	http.StatusBadRequest:            {"リクエストを処理できませんでした", "送信された内容を読み取れませんでした。お手数ですが、入力画面からやり直してください。"},
	http.StatusForbidden:             {"この操作は受け付けられませんでした", "画面の有効期限が切れたか、別の画面から送信された可能性があります。お手数ですが、画面を開き直してからもう一度お試しください。"},
	http.StatusNotFound:              {"お探しのページが見つかりません", "お探しのページは移動または削除されたか、URLが間違っている可能性があります。"},
	http.StatusMethodNotAllowed:      {"この操作は受け付けられませんでした", "この画面ではその操作を行えません。"},
	http.StatusRequestEntityTooLarge: {"送信された内容が大きすぎます", "送信できる大きさを超えています。内容を減らしてもう一度お試しください。"},
	http.StatusRequestURITooLong:     {"URLが長すぎます", "URLが長すぎるため、ページを表示できません。トップページから目的のページを開き直してください。"},
	http.StatusTooManyRequests:       {"ただいま受け付けを一時停止しています", "短い時間に多くのお申込みがあったため、受け付けを一時停止しています。しばらく時間をおいてから、もう一度お試しください。"},
	http.StatusServiceUnavailable:    {"ただいまご利用いただけません", "ただいまシステムが混み合っているか、メンテナンス中のため、ページを表示できません。しばらく時間をおいてから、もう一度お試しください。"},
	http.StatusInternalServerError:   {"システムエラーが発生しました", "申し訳ございません。時間をおいてもう一度お試しください。解決しない場合はコールセンターまでご連絡ください。"},
}

// errorStatus renders the Japanese error page for status.
func (s *Server) errorStatus(w http.ResponseWriter, r *http.Request, status int) {
	t, ok := errorTexts[status]
	if !ok {
		t = errorTexts[http.StatusInternalServerError]
	}
	s.render(w, r, status, "error", &errorPage{Status: status, Heading: t[0], Message: t[1]})
}

// serverError logs err with the request ID and shows the 500 page. Two failures are not
// the portal's fault and are told apart (refusals.go): the database away answers 503 with
// Retry-After, and a client that went away gets nothing and no error in the log.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if s.notOurFault(w, r, err) {
		return
	}
	s.log.ErrorContext(r.Context(), "request failed", requestAttrs(r), errAttr(err))
	s.plainError(w, http.StatusInternalServerError)
}

// plainError writes the error page for status without touching the session, which may not
// be loaded (or its store may be what failed).
func (s *Server) plainError(w http.ResponseWriter, status int) {
	t := errorTexts[status]
	body, rerr := s.tmpl.Render("error", &errorPage{Status: status, Heading: t[0], Message: t[1]})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if rerr != nil {
		_, _ = w.Write([]byte("<!doctype html><meta charset=utf-8><title>エラー</title><h1>" + t[0] + "</h1>"))
		return
	}
	_, _ = w.Write(body)
}
