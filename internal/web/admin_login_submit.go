package web

import (
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"portal/internal/account"
	"portal/internal/form"
	"portal/internal/operator"
	"portal/internal/ratelimit"
)

// Messages of the back-office login.
const (
	msgAdminLoginRequired    = "ログインIDを入力してください。"
	msgAdminPasswordRequired = "パスワードを入力してください。"
	msgAdminLoginInvalid     = "ログインIDまたはパスワードが正しくありません。"
	// msgAdminLoginLocked is completed with the number of failures and the lock's end.
	msgAdminLoginLocked = "ログインに%d回続けて失敗したため、このログインIDでのログインを一時的に停止しています。%sを過ぎてから、もう一度お試しください。"
)

// Lengths beyond which a login or password cannot be real; they are refused before the
// database or the password hash see them.
const (
	maxAdminLogin    = 64
	maxAdminPassword = 128
)

// adminLoginSubmit signs an operator in. Unknown logins and wrong passwords get the same
// answer; repeated failures lock the login (operator.SignIn). On success the session token
// is renewed, any facility sign-in in the session is dropped and the sign-in is audited.
func (s *Server) adminLoginSubmit(w http.ResponseWriter, r *http.Request) {
	page := &adminLoginPage{Next: adminNext(r.PostFormValue("next"))}
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
		s.renderAdmin(w, r, http.StatusUnprocessableEntity, "admin_login", page)
		return
	}
	if utf8.RuneCountInString(login) > maxAdminLogin || utf8.RuneCountInString(plain) > maxAdminPassword {
		page.Problem = msgAdminLoginInvalid
		s.renderAdmin(w, r, http.StatusUnprocessableEntity, "admin_login", page)
		return
	}

	ctx := r.Context()
	o, err := s.operators.SignIn(ctx, login, plain, s.clientAddr(r))
	var locked *account.LockedError
	switch {
	case errors.Is(err, ratelimit.ErrLimited):
		page.Problem = msgTooManySignIns
		s.renderAdmin(w, r, http.StatusTooManyRequests, "admin_login", page)
		return
	case errors.Is(err, operator.ErrInvalidCredentials):
		page.Problem = msgAdminLoginInvalid
		s.renderAdmin(w, r, http.StatusUnprocessableEntity, "admin_login", page)
		return
	case errors.As(err, &locked):
		page.Problem = fmt.Sprintf(msgAdminLoginLocked, account.MaxFailures, locked.Until.In(callCenterZone).Format("15時04分"))
		s.renderAdmin(w, r, http.StatusTooManyRequests, "admin_login", page)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	// The second factor of SPEC §1 goes here (see operator.SecondFactorRequired). Until its
	// page exists, an operator who needs one is refused rather than let in on the password.
	if operator.SecondFactorRequired(o) {
		s.serverError(w, r, errors.New("web: operator second factor required but not built"))
		return
	}
	if err := operator.Record(ctx, s.db, o.ID, operator.ActionSignIn, operator.TargetOperator, o.ID, nil); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.startOperatorSession(r, o); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, page.Next, http.StatusSeeOther)
}
