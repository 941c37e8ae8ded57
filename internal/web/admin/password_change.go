package admin

import (
	"errors"
	"fmt"
	"net/http"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/operator"
	"portal/internal/web/site"
)

// passwordPage is the operator's own password change (パスワード変更), forced after a
// temporary password.
type passwordPage struct {
	site.AdminBase
	Forced bool
	Errors form.Errors
}

const (
	msgCurrentPasswordWrong = "現在のパスワードが正しくありません。"
	// msgPasswordChangeLocked is completed with the number of failures and the lock's end.
	msgPasswordChangeLocked = "現在のパスワードを%d回続けて間違えたため、パスワードの変更を一時的に停止しています。%sを過ぎてから、もう一度お試しください。"
)

// passwordShow shows the password change.
func (h *Handler) passwordShow(w http.ResponseWriter, r *http.Request) {
	h.RenderAdmin(w, r, http.StatusOK, "admin/password", &passwordPage{Forced: site.CurrentOperator(r).MustChangePassword})
}

// passwordSubmit changes the operator's password: every other session of the operator
// ends, this one goes on under the new session version.
func (h *Handler) passwordSubmit(w http.ResponseWriter, r *http.Request) {
	o := site.CurrentOperator(r)
	page := &passwordPage{Forced: o.MustChangePassword}
	in, errs := accountform.ReadPasswordChange(r.PostForm, o.Login)
	page.Errors = errs
	if !errs.Valid() {
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/password", page)
		return
	}
	changed, err := h.operators.ChangePassword(r.Context(), *o, in.Current, in.Password)
	var locked *account.LockedError
	switch {
	case errors.Is(err, operator.ErrWrongPassword):
		page.Errors.Add(accountform.FieldCurrentPassword, msgCurrentPasswordWrong)
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/password", page)
		return
	case errors.As(err, &locked):
		page.Errors.Add(accountform.FieldCurrentPassword, fmt.Sprintf(msgPasswordChangeLocked, account.MaxFailures,
			jp.DateTime(locked.Until)))
		h.RenderAdmin(w, r, http.StatusTooManyRequests, "admin/password", page)
		return
	case err != nil:
		h.ServerError(w, r, err)
		return
	}
	if err := h.KeepOperatorSession(r, changed); err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Flash(r, "パスワードを変更しました。")
	http.Redirect(w, r, site.AdminHomePath, http.StatusSeeOther)
}
