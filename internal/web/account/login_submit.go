package account

import (
	"errors"
	"fmt"
	"net/http"

	"portal/internal/account"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/ratelimit"
	"portal/internal/web/site"
)

// Messages of the login page.
const (
	msgLoginEmailRequired    = "メールアドレスを入力してください。"
	msgLoginPasswordRequired = "パスワードを入力してください。"
	// msgLoginFailed is the one answer for an unknown address and a wrong password, so the
	// page does not tell which addresses have accounts.
	msgLoginFailed = "メールアドレスまたはパスワードが正しくありません。"
	// msgTooManySignIns answers a client (or the whole portal) over the sign-in limits.
	msgTooManySignIns = "短い時間に多くのログインがあったため、受け付けを一時停止しています。しばらく時間をおいてから、もう一度お試しください。"
	// msgLoginLocked is completed with the time the lock ends.
	msgLoginLocked = "ログインに%d回続けて失敗したため、このメールアドレスでのログインを一時的に停止しています。%sを過ぎてから、もう一度お試しください。" +
		"パスワードをお忘れの場合は「パスワードを忘れた方はこちら」から再設定できます。お困りの場合はオンライン資格確認等コールセンター（0800-080-4583）までご連絡ください。"
)

// loginSubmit signs a facility in with its address (or provisional ID) and password. A
// provisional sign-in goes to the forced account edit; an account to where it was going.
func (h *Handler) loginSubmit(w http.ResponseWriter, r *http.Request) {
	in := form.NewInput(r.PostForm)
	page := &loginPage{Email: in.Email("email"), Next: r.PostForm.Get("next")}
	if site.SafeNext(page.Next) != page.Next {
		page.Next = ""
	}
	pw := in.Password("password")
	page.Errors = in.Errors
	if page.Email == "" && !page.Errors.Has("email") {
		page.Errors.Add("email", msgLoginEmailRequired)
	}
	if pw == "" && !page.Errors.Has("password") {
		page.Errors.Add("password", msgLoginPasswordRequired)
	}
	if !page.Errors.Valid() {
		h.Render(w, r, http.StatusUnprocessableEntity, "account/login", page)
		return
	}
	p, err := h.accounts.SignIn(r.Context(), page.Email, pw, h.ClientAddr(r))
	var locked *account.LockedError
	switch {
	case errors.Is(err, ratelimit.ErrLimited):
		page.Failure = msgTooManySignIns
		h.Render(w, r, http.StatusTooManyRequests, "account/login", page)
		return
	case errors.As(err, &locked):
		page.Failure = fmt.Sprintf(msgLoginLocked, account.MaxFailures, jp.DateTime(locked.Until))
		h.Render(w, r, http.StatusTooManyRequests, "account/login", page)
		return
	case errors.Is(err, account.ErrInvalidCredentials):
		page.Failure = msgLoginFailed
		h.Render(w, r, http.StatusUnprocessableEntity, "account/login", page)
		return
	case err != nil:
		h.ServerError(w, r, err)
		return
	}
	if err := h.StartSession(r, p); err != nil {
		h.ServerError(w, r, err)
		return
	}
	if p.Provisional() {
		http.Redirect(w, r, site.ProvisionalEditPath, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, site.SafeNext(page.Next), http.StatusSeeOther)
}
