package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"portal/internal/account"
	"portal/internal/form"
	"portal/internal/ratelimit"
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

// jst is Japan's time zone, fixed so the lock's end reads right without tzdata.
var jst = time.FixedZone("JST", 9*60*60)

// loginSubmit signs a facility in with its address (or provisional ID) and password. A
// provisional sign-in goes to the forced account edit; an account to where it was going.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	in := form.NewInput(r.PostForm)
	page := &loginPage{Email: in.Email("email"), Next: r.PostForm.Get("next")}
	if safeNext(page.Next) != page.Next {
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
		s.render(w, r, http.StatusUnprocessableEntity, "login", page)
		return
	}
	p, err := s.accounts.SignIn(r.Context(), page.Email, pw, s.clientAddr(r))
	var locked *account.LockedError
	switch {
	case errors.Is(err, ratelimit.ErrLimited):
		page.Failure = msgTooManySignIns
		s.render(w, r, http.StatusTooManyRequests, "login", page)
		return
	case errors.As(err, &locked):
		page.Failure = fmt.Sprintf(msgLoginLocked, account.MaxFailures, locked.Until.In(jst).Format("15時04分"))
		s.render(w, r, http.StatusTooManyRequests, "login", page)
		return
	case errors.Is(err, account.ErrInvalidCredentials):
		page.Failure = msgLoginFailed
		s.render(w, r, http.StatusUnprocessableEntity, "login", page)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	if err := s.startSession(r, p); err != nil {
		s.serverError(w, r, err)
		return
	}
	if p.Provisional() {
		http.Redirect(w, r, provisionalEditPath, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, safeNext(page.Next), http.StatusSeeOther)
}
