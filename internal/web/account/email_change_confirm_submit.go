package account

import (
	"errors"
	"net/http"

	"portal/internal/account"
	"portal/internal/web/site"
)

const msgEmailChangeTaken = "このメールアドレスは、申込の後に別のアカウントで登録されたため、変更できませんでした。別のメールアドレスで変更をやり直してください。"

// emailChangeConfirmSubmit switches the address and tells the old one. Every session of
// the account ends; the one confirming stays signed in when it is the account's own.
func (h *Handler) emailChangeConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	raw := r.PostForm.Get("token")
	ctx := r.Context()
	changed, err := h.accounts.ConfirmEmailChange(ctx, raw)
	switch {
	case errors.Is(err, account.ErrTokenInvalid):
		h.LinkInvalid(w, r, "/account/email", "メールアドレスの変更をやり直す")
		return
	case errors.Is(err, account.ErrEmailTaken):
		h.Render(w, r, http.StatusConflict, "site/notice", &site.NoticePage{Title: "メールアドレスを変更できませんでした",
			Lines: []string{msgEmailChangeTaken}, Links: []site.NoticeLink{{Href: "/account/email", Label: "メールアドレスの変更をやり直す", Primary: true}}})
		return
	case err != nil:
		h.ServerError(w, r, err)
		return
	}
	if p := site.CurrentUser(r); p != nil && p.Account != nil && p.Account.ID == changed.ID {
		if err := h.KeepSession(r, changed.SessionVersion); err != nil {
			h.ServerError(w, r, err)
			return
		}
	}
	http.Redirect(w, r, "/account/email/done", http.StatusSeeOther)
}
