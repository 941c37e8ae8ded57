package postal

import (
	"errors"
	"net/http"
	"strconv"

	"portal/internal/form"
	"portal/internal/postal"
)

// Fill is the server-side half of the 【郵便番号から住所検索】 button, for browsers
// without JavaScript (with JavaScript, web/static/js/postal.js fills the fields in place
// and the button never submits the form). Any form can use it. In the template, beside
// the postal code fields:
//
//	<button type="submit" name="postal_lookup" value="1" data-postal-lookup
//	  data-postal-code="#zip1,#zip2" data-prefecture="#pref" data-address="#addr">【郵便番号から住所検索】</button>
//	{{template "postal-status" .Postal}}      (messages; also the live region for JS)
//	{{template "postal-candidates" .Postal}}  (radio buttons when several addresses match)
//
// with <script src="/static/js/postal.js" defer></script> and
// <link rel="stylesheet" href="/static/css/postal.css"> in the page's "head" block. In the
// POST handler, before treating the request as a submission of the form:
//
//	if postal.Requested(r) {
//		pf, err := postal.NewFill(r, dir, "zip1", "zip2")
//		if err != nil {
//			h.ServerError(w, r, err)
//			return
//		}
//		if a := pf.Chosen; a != nil {
//			f.Prefecture, f.Address = a.PrefectureCode, a.Line()
//		}
//		page.Postal = pf
//		page.Errors.Merge(pf.Errors)
//		h.Render(w, r, pf.Status(), "the_page", page) // everything typed is kept
//		return
//	}
//
// A bad code is a field error (postal.MessageInvalidCode) in pf.Errors under the first
// code field's name; try_submit.go is a complete example.
type Fill struct {
	// Candidates are all addresses of the code; several → the page offers a choice.
	Candidates []postal.Address
	// Chosen is the address to put into the form: the only candidate, or the one the user
	// picked from the candidates (field postal_choice); nil otherwise.
	Chosen *postal.Address
	// Notice is a message for the status line: not found, several found, or filled in.
	Notice string
	// Errors holds MessageInvalidCode under the first code field when the code is bad.
	Errors form.Errors
	// Field is the id of the first postal code field, for the error's link.
	Field string
}

// Postal status messages beside the button.
const (
	MsgFilled    = "住所を入力しました。番地などの続きを入力してください。"
	msgSeveral   = "該当する住所が複数あります。選んでください。"
	msgChooseOne = "住所を選んでから「選んだ住所を入力する」を押してください。"
)

// Requested reports whether the form was submitted by the lookup button or by the
// button that picks one of several candidates.
func Requested(r *http.Request) bool {
	return r.PostForm.Get("postal_lookup") != "" || r.PostForm.Get("postal_choose") != ""
}

// NewFill looks up the code typed in the fields named codeFields (joined: "zip1",
// "zip2" for the 3+4 digit pair) and, when the user picked a candidate, takes it.
func NewFill(r *http.Request, dir *postal.Directory, codeFields ...string) (*Fill, error) {
	in := form.NewInput(r.PostForm)
	code := ""
	for _, f := range codeFields {
		code += in.Text(f)
	}
	pf := &Fill{}
	if len(codeFields) > 0 {
		pf.Field = codeFields[0]
	}
	cands, err := dir.Lookup(r.Context(), code)
	switch {
	case errors.Is(err, postal.ErrInvalidCode) || !in.Errors.Valid():
		pf.Errors.Add(pf.Field, postal.MessageInvalidCode)
		return pf, nil
	case err != nil:
		return nil, err
	}
	pf.Candidates = cands
	switch len(cands) {
	case 0:
		pf.Notice = postal.MessageNotFound
	case 1:
		pf.Chosen = &cands[0]
		pf.Notice = MsgFilled
	default:
		pf.Notice = msgSeveral
		if r.PostForm.Get("postal_choose") != "" {
			i, err := strconv.Atoi(r.PostForm.Get("postal_choice"))
			if err == nil && i >= 0 && i < len(cands) {
				pf.Chosen = &cands[i]
				pf.Notice = MsgFilled
			} else {
				pf.Notice = msgChooseOne
			}
		}
	}
	return pf, nil
}

// Status is the HTTP status to re-render the form with: 422 for a bad code, else 200.
func (pf *Fill) Status() int {
	if pf == nil || pf.Errors.Valid() {
		return http.StatusOK
	}
	return http.StatusUnprocessableEntity
}

// Choosing reports whether the page should show the candidates to pick from.
func (pf *Fill) Choosing() bool { return pf != nil && pf.Chosen == nil && len(pf.Candidates) > 1 }
