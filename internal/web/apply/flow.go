// Package apply is the web half of the application kernel (internal/application): the
// input → 確認 → 確定 → completion flow every application kind shares. A kind supplies its
// form type F and the few things only it knows (how to read its form, its pages, the
// domain call that stores it); the flow keeps the typed input in the session between the
// input and the confirm page, guards 確定 with a single-use token so a double click or a
// resubmitted confirm page never stores twice, and shows the completion page.
//
// A kind mounts its flow with one line:
//
//	apply.Mount(r, &apply.Flow[myForm]{Site: s, Name: "qualification", Path: "/qualification", Kind: k})
package apply

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"portal/internal/application"
	"portal/internal/form"
	"portal/internal/web/site"
)

// Kind is what an application kind plugs into the flow. F is its form as typed (strings,
// so whatever was typed comes back unchanged beside its error); it must survive a JSON
// round trip through the session.
type Kind[F any] interface {
	// Read reads the posted form; the errors are the fields refused while reading.
	Read(r *http.Request) (F, form.Errors)
	// Current is the form the input page opens with: the facility's application, or empty.
	Current(r *http.Request, u *site.User) (F, error)
	// Check applies the kind's rules to a read form.
	Check(r *http.Request, u *site.User, f F) (form.Errors, error)
	// FormPage is the input page's data (status 200 or 422 is the flow's business).
	FormPage(r *http.Request, u *site.User, f F, errs form.Errors) (site.Page, error)
	// ConfirmPage is the confirm page's data; nonce goes into its form as "nonce".
	ConfirmPage(r *http.Request, u *site.User, f F, nonce string) (site.Page, error)
	// Submit stores the application through the kind's domain service (one call).
	Submit(r *http.Request, u *site.User, f F) (application.Receipt, error)
}

// Closer is implemented by kinds whose form is not always open (電子証明書 before the
// 利用申請 is approved; a card reader once its delivery date is set). Closed returns the
// page that says why and what to do, or nil while the form is open.
type Closer interface {
	Closed(r *http.Request, u *site.User) (*site.NoticePage, error)
}

// Interceptor is implemented by kinds whose input page has buttons that are not 確認画面へ
// 進む (【郵便番号から住所検索】 without JavaScript): Intercept answers such a request itself
// and reports true.
type Interceptor[F any] interface {
	Intercept(w http.ResponseWriter, r *http.Request, u *site.User, f F, errs form.Errors) bool
}

// Flow is one kind's input → 確認 → 確定 → completion pages.
type Flow[F any] struct {
	*site.Site
	// Name is the kind's template folder ("cardreader": cardreader/form.html,
	// cardreader/confirm.html) and the prefix of its session keys.
	Name string
	// Path is the input page, e.g. /cardreader; the others hang below it.
	Path string
	Kind Kind[F]
}

// Mount registers the flow's routes on r (inside the signed-in facility group).
func Mount[F any](r chi.Router, f *Flow[F]) {
	r.Get(f.Path, f.CachedPage(f.Show))
	r.Post(f.Path, f.Post)
	r.Get(f.Path+"/confirm", f.ConfirmShow)
	r.Post(f.Path+"/confirm", f.ConfirmPost)
	r.Get(f.Path+"/complete", f.Complete)
}

func (f *Flow[F]) keyDraft() string { return f.Name + "_draft" }
func (f *Flow[F]) keyNonce() string { return f.Name + "_nonce" }
func (f *Flow[F]) keyDone() string  { return f.Name + "_done" }

// closed renders the kind's closed page when its form is not open now.
func (f *Flow[F]) closed(w http.ResponseWriter, r *http.Request, u *site.User) bool {
	c, ok := f.Kind.(Closer)
	if !ok {
		return false
	}
	page, err := c.Closed(r, u)
	if err != nil {
		f.ServerError(w, r, err)
		return true
	}
	if page == nil {
		return false
	}
	f.Notice(w, r, http.StatusOK, page)
	return true
}

// Show is the input page: the facility's application, or what waits on the confirm page
// (?back=1, 「入力画面に戻る」); ?reset=1 (「この画面を開いた状態に戻す」) drops it.
func (f *Flow[F]) Show(w http.ResponseWriter, r *http.Request) {
	u := site.CurrentUser(r)
	if f.closed(w, r, u) {
		return
	}
	q := r.URL.Query()
	if q.Get("reset") == "1" {
		f.Sessions.Remove(r.Context(), f.keyDraft())
	}
	draft, ok := f.Draft(r)
	if q.Get("back") != "1" || !ok {
		var err error
		if draft, err = f.Kind.Current(r, u); err != nil {
			f.ServerError(w, r, err)
			return
		}
	}
	f.renderForm(w, r, u, http.StatusOK, draft, nil)
}

func (f *Flow[F]) renderForm(w http.ResponseWriter, r *http.Request, u *site.User, status int, v F, errs form.Errors) {
	page, err := f.Kind.FormPage(r, u, v, errs)
	if err != nil {
		f.ServerError(w, r, err)
		return
	}
	f.Render(w, r, status, f.Name+"/form", page)
}

// Post is 「確認画面へ進む」: errors come back beside their fields with everything typed
// kept (422); a valid input waits in the session for the confirm page.
func (f *Flow[F]) Post(w http.ResponseWriter, r *http.Request) {
	u := site.CurrentUser(r)
	if f.closed(w, r, u) {
		return
	}
	v, errs := f.Kind.Read(r)
	if ic, ok := f.Kind.(Interceptor[F]); ok && ic.Intercept(w, r, u, v, errs) {
		return
	}
	rules, err := f.Kind.Check(r, u, v)
	if err != nil {
		f.ServerError(w, r, err)
		return
	}
	errs.Merge(rules)
	if !errs.Valid() {
		f.renderForm(w, r, u, http.StatusUnprocessableEntity, v, errs)
		return
	}
	if err := f.putDraft(r, v); err != nil {
		f.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, f.Path+"/confirm", http.StatusSeeOther)
}

// Draft is the input waiting on the confirm page.
func (f *Flow[F]) Draft(r *http.Request) (F, bool) {
	var v F
	raw := f.Sessions.GetString(r.Context(), f.keyDraft())
	if raw == "" || json.Unmarshal([]byte(raw), &v) != nil {
		return v, false
	}
	return v, true
}

// putDraft keeps v for the confirm page with a new single-use token for its 確定.
func (f *Flow[F]) putDraft(r *http.Request, v F) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	f.Sessions.Put(r.Context(), f.keyDraft(), string(b))
	f.Sessions.Put(r.Context(), f.keyNonce(), base64.RawURLEncoding.EncodeToString(nonce))
	return nil
}

// ConfirmShow shows what waits to be confirmed.
func (f *Flow[F]) ConfirmShow(w http.ResponseWriter, r *http.Request) {
	u := site.CurrentUser(r)
	v, ok := f.Draft(r)
	if !ok {
		http.Redirect(w, r, f.Path, http.StatusSeeOther)
		return
	}
	page, err := f.Kind.ConfirmPage(r, u, v, f.Sessions.GetString(r.Context(), f.keyNonce()))
	if err != nil {
		f.ServerError(w, r, err)
		return
	}
	f.Render(w, r, http.StatusOK, f.Name+"/confirm", page)
}

// ConfirmPost is 確定. The token is single-use: a second click or a resubmitted confirm
// page lands on the completion page of the first instead of storing again.
func (f *Flow[F]) ConfirmPost(w http.ResponseWriter, r *http.Request) {
	u := site.CurrentUser(r)
	ctx := r.Context()
	want := f.Sessions.GetString(ctx, f.keyNonce())
	v, ok := f.Draft(r)
	if !ok || want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(r.PostForm.Get("nonce"))) != 1 {
		if f.Sessions.Exists(ctx, f.keyDone()) {
			http.Redirect(w, r, f.Path+"/complete", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, f.Path, http.StatusSeeOther)
		return
	}
	rc, err := f.Kind.Submit(r, u, v)
	if f.Failed(w, r, u, v, err) {
		return
	}
	f.Sessions.Remove(ctx, f.keyDraft())
	f.Sessions.Remove(ctx, f.keyNonce())
	f.Done(w, r, rc)
}

// Failed answers a failed domain step and reports whether it did: the rules no longer
// hold (the input page again, with the errors, 422), the step is closed (the closed page
// or the reason as a notice on マイページ), or a server error.
func (f *Flow[F]) Failed(w http.ResponseWriter, r *http.Request, u *site.User, v F, err error) bool {
	var invalid *application.InvalidError
	var closed *application.ClosedError
	switch {
	case err == nil:
		return false
	case errors.As(err, &invalid):
		f.renderForm(w, r, u, http.StatusUnprocessableEntity, v, invalid.Errors)
	case errors.As(err, &closed):
		f.Sessions.Remove(r.Context(), f.keyDraft())
		f.Flash(r, closed.Message)
		http.Redirect(w, r, "/mypage", http.StatusSeeOther)
	default:
		f.ServerError(w, r, err)
	}
	return true
}

// Done remembers the receipt for the completion page and goes there.
func (f *Flow[F]) Done(w http.ResponseWriter, r *http.Request, rc application.Receipt) {
	b, _ := json.Marshal(rc)
	f.Sessions.Put(r.Context(), f.keyDone(), string(b))
	http.Redirect(w, r, f.Path+"/complete", http.StatusSeeOther)
}

// CompletePage is the completion page every kind shares.
type CompletePage struct {
	site.Base
	Receipt application.Receipt
	// Path is the kind's input page.
	Path string
}

// Outcome is what the receipt's step did, in words.
func (p *CompletePage) Outcome() string {
	switch p.Receipt.Outcome {
	case application.Changed:
		return "申込内容を変更しました。"
	case application.Cancelled:
		return "申込を取り消しました。"
	case application.Unchanged:
		return "申込内容に変更はありません。"
	case application.Resubmitted:
		return "修正した内容で再申請しました。"
	}
	return "申込を受け付けました。"
}

// Mailed reports whether a mail went out for the step.
func (p *CompletePage) Mailed() bool { return p.Receipt.Outcome != application.Unchanged }

// Complete shows the completion of the session's last 確定 of this kind.
func (f *Flow[F]) Complete(w http.ResponseWriter, r *http.Request) {
	var rc application.Receipt
	raw := f.Sessions.GetString(r.Context(), f.keyDone())
	if raw == "" || json.Unmarshal([]byte(raw), &rc) != nil {
		http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		return
	}
	f.Render(w, r, http.StatusOK, "apply/complete", &CompletePage{Receipt: rc, Path: f.Path})
}

// ClosedPage is the page shown instead of a closed form: the domain's closure (nil while
// the form is open), under the kind's title, with onward links (マイページ when none).
func ClosedPage(title string, c *application.Closure, err error, links ...site.NoticeLink) (*site.NoticePage, error) {
	if c == nil || err != nil {
		return nil, err
	}
	if len(links) == 0 {
		links = []site.NoticeLink{{Href: "/mypage", Label: "マイページに戻る", Primary: true}}
	}
	return &site.NoticePage{Title: title, Lines: c.Lines, Links: links}, nil
}

// Applicant is the signed-in facility as the domain services take it.
func Applicant(u *site.User) application.Applicant {
	return application.Applicant{Account: *u.Account, Facility: u.Facility}
}
