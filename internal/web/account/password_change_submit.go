package account

import (
	"errors"
	"net/http"
	"time"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/web/site"
)

const msgCurrentPasswordWrong = "現在のパスワードが正しくありません。大文字・小文字も区別されます。"

// msgPasswordChangeLocked is shown while wrong current passwords have locked the change.
func msgPasswordChangeLocked(until time.Time) string {
	return "現在のパスワードの入力誤りが続いたため、パスワード変更を一時的に停止しています。" +
		jp.DateTime(until) + "以降にもう一度お試しください。"
}

// passwordChangeSubmit sets a new password for the signed-in account. Every other session
// of the account ends; this one stays signed in on a fresh token. A notice is mailed.
func (h *Handler) passwordChangeSubmit(w http.ResponseWriter, r *http.Request) {
	a := site.CurrentUser(r).Account
	ctx := r.Context()
	p, errs := accountform.ReadPasswordChange(r.PostForm, a.Email)
	current := p.Current
	if errs.Has(accountform.FieldCurrentPassword) {
		current = "" // only the lock is checked
	}
	err := h.accounts.VerifyCurrentPassword(ctx, *a, current)
	var locked *account.LockedError
	switch {
	case errors.As(err, &locked):
		errs = form.Errors{}
		errs.Add(accountform.FieldCurrentPassword, msgPasswordChangeLocked(locked.Until))
	case errors.Is(err, account.ErrCurrentPasswordWrong):
		errs.Add(accountform.FieldCurrentPassword, msgCurrentPasswordWrong)
	case err != nil:
		h.ServerError(w, r, err)
		return
	}
	if !errs.Valid() {
		h.Render(w, r, http.StatusUnprocessableEntity, "account/password_change", &passwordChangePage{Errors: errs})
		return
	}
	version, err := h.accounts.ChangePassword(ctx, *a, p.Password)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	if err := h.KeepSession(r, version); err != nil {
		h.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/password/done", http.StatusSeeOther)
}
