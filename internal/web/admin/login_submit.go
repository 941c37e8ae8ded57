package admin

import (
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"portal/internal/account"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/operator"
	"portal/internal/ratelimit"
	"portal/internal/web/site"
)

// Messages of the back-office login.
const (
	msgAdminLoginRequired    = "ログインIDを入力してください。"
	msgAdminPasswordRequired = "パスワードを入力してください。"
	msgAdminLoginInvalid     = "ログインIDまたはパスワードが正しくありません。"
	// msgTooManySignIns answers a client (or the whole portal) over the sign-in limits.
	msgTooManySignIns = "短い時間に多くのログインがあったため、受け付けを一時停止しています。しばらく時間をおいてから、もう一度お試しください。"
	// msgAdminLoginLocked is completed with the number of failures and the lock's end.
	msgAdminLoginLocked = "ログインに%d回続けて失敗したため、このログインIDでのログインを一時的に停止しています。%sを過ぎてから、もう一度お試しください。"
	// msgAdminDisabled answers the right password of a disabled account.
	msgAdminDisabled = "このログインIDは利用が停止されています。スーパーバイザーにお問い合わせください。"
)

// lockedMessage says how long a locked login waits.
func lockedMessage(locked *account.LockedError) string {
	return fmt.Sprintf(msgAdminLoginLocked, account.MaxFailures, jp.DateTime(locked.Until))
}

// Lengths beyond which a login or password cannot be real; they are refused before the
// database or the password hash see them.
const (
	maxAdminLogin    = 64
	maxAdminPassword = 128
)

// loginSubmit is the first step of an operator's sign-in: the password. Unknown logins and
// wrong passwords get the same answer; repeated failures lock the login (operator.SignIn).
// The right password opens nothing yet: the session token is renewed, any principal of
// the session dropped, the sign-in kept pending, and the second factor follows (its
// enrolment for an operator who has none).
func (h *Handler) loginSubmit(w http.ResponseWriter, r *http.Request) {
	page := &loginPage{Next: site.AdminNext(r.PostFormValue("next"))}
	in := form.NewInput(r.PostForm)
	login, plain := in.Text("login"), in.Password("password")
	page.Errors = in.Errors
	if login == "" {
		page.Errors.Add("login", msgAdminLoginRequired)
	}
	if plain == "" {
		page.Errors.Add("password", msgAdminPasswordRequired)
	}
	if !page.Errors.Has("login") {
		page.Login = login
	}
	if !page.Errors.Valid() {
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/login", page)
		return
	}
	if utf8.RuneCountInString(login) > maxAdminLogin || utf8.RuneCountInString(plain) > maxAdminPassword {
		page.Problem = msgAdminLoginInvalid
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/login", page)
		return
	}

	ctx := r.Context()
	o, err := h.operators.SignIn(ctx, login, plain, h.ClientAddr(r))
	var locked *account.LockedError
	switch {
	case errors.Is(err, ratelimit.ErrLimited):
		page.Problem = msgTooManySignIns
		h.RenderAdmin(w, r, http.StatusTooManyRequests, "admin/login", page)
		return
	case errors.Is(err, operator.ErrInvalidCredentials):
		page.Problem = msgAdminLoginInvalid
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/login", page)
		return
	case errors.As(err, &locked):
		page.Problem = lockedMessage(locked)
		h.RenderAdmin(w, r, http.StatusTooManyRequests, "admin/login", page)
		return
	case errors.Is(err, operator.ErrDisabled):
		page.Problem = msgAdminDisabled
		h.RenderAdmin(w, r, http.StatusForbidden, "admin/login", page)
		return
	case err != nil:
		h.ServerError(w, r, err)
		return
	}
	if err := h.startPending(r, o, page.Next); err != nil {
		h.ServerError(w, r, err)
		return
	}
	if o.Enrolled() {
		http.Redirect(w, r, codePath, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, enrolPath, http.StatusSeeOther)
}
