package admin

import (
	"errors"
	"net/http"
	"unicode/utf8"

	"portal/internal/account"
	"portal/internal/form"
	"portal/internal/operator"
	"portal/internal/web/site"
)

// The second step of a sign-in.
const (
	codePath  = "/admin/login/code"
	enrolPath = "/admin/login/enrol"
	// maxCode bounds what the code field may hold: a recovery code with spaces at most.
	maxCode = 32
)

// Messages of the second factor.
const (
	msgCodeRequired = "確認コードを入力してください。"
	msgCodeWrong    = "確認コードが正しくありません。認証アプリに表示されている6桁の数字、または未使用のリカバリーコードを入力してください。"
	msgCodeReplayed = "この確認コードは使用済みです。認証アプリに次のコードが表示されてから入力してください。"
	msgPendingGone  = "ログインの手続きの有効時間が過ぎたか、アカウントの設定が変更されました。もう一度ログインしてください。"
)

// codePage asks for the second factor: the authenticator's code or a recovery code.
type codePage struct {
	site.AdminBase
	Errors  form.Errors
	Problem string
}

// codeShow shows the code step of a pending sign-in.
func (h *Handler) codeShow(w http.ResponseWriter, r *http.Request) {
	if site.CurrentOperator(r) != nil {
		http.Redirect(w, r, site.AdminHomePath, http.StatusSeeOther)
		return
	}
	if _, ok := h.pending(r); !ok {
		http.Redirect(w, r, site.AdminLoginPath, http.StatusSeeOther)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/login_code", &codePage{})
}

// codeSubmit checks the code; the right one starts the operator session on a fresh token
// and leads to the page asked for at the start.
func (h *Handler) codeSubmit(w http.ResponseWriter, r *http.Request) {
	p, ok := h.pending(r)
	if !ok {
		h.restart(w, r, msgPendingGone)
		return
	}
	page := &codePage{}
	code, bad := readCode(r, &page.Errors)
	if bad {
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/login_code", page)
		return
	}
	o, err := h.operators.SecondFactor(r.Context(), p.ID, p.Version, code, h.ClientAddr(r))
	if errors.Is(err, operator.ErrNotEnrolled) {
		http.Redirect(w, r, enrolPath, http.StatusSeeOther)
		return
	}
	if status, done := h.codeFailure(w, r, err, &page.Errors); done {
		return
	} else if status != 0 {
		h.RenderAdmin(w, r, status, "admin/login_code", page)
		return
	}
	h.dropPending(r)
	if err := h.StartOperatorSession(r, o); err != nil {
		h.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, p.Next, http.StatusSeeOther)
}

// readCode reads the code field; bad is true (with the message in errs) when it is
// missing or cannot be a code.
func readCode(r *http.Request, errs *form.Errors) (code string, bad bool) {
	in := form.NewInput(r.PostForm)
	code = in.Text("code")
	*errs = in.Errors
	switch {
	case errs.Has("code"):
	case code == "":
		errs.Add("code", msgCodeRequired)
	case utf8.RuneCountInString(code) > maxCode:
		errs.Add("code", msgCodeWrong)
	}
	return code, !errs.Valid()
}

// codeFailure answers an error of a code step. done means it answered (a redirect, the
// 429 or 500 page); otherwise a non-zero status means the page is drawn again with the
// message put in errs, and zero means success.
func (h *Handler) codeFailure(w http.ResponseWriter, r *http.Request, err error, errs *form.Errors) (status int, done bool) {
	var locked *account.LockedError
	switch {
	case err == nil:
		return 0, false
	case h.Limited(w, r, err):
		return 0, true
	case errors.Is(err, operator.ErrBadCode):
		errs.Add("code", msgCodeWrong)
		return http.StatusUnprocessableEntity, false
	case errors.Is(err, operator.ErrReplayedCode):
		errs.Add("code", msgCodeReplayed)
		return http.StatusUnprocessableEntity, false
	case errors.As(err, &locked):
		h.restart(w, r, lockedMessage(locked))
		return 0, true
	case errors.Is(err, operator.ErrStalePending), errors.Is(err, operator.ErrEnrolled):
		h.restart(w, r, msgPendingGone)
		return 0, true
	case errors.Is(err, operator.ErrDisabled):
		h.restart(w, r, msgAdminDisabled)
		return 0, true
	}
	h.ServerError(w, r, err)
	return 0, true
}
