package webtest

import (
	"context"
	"net/url"
	"testing"
	"time"

	"portal/internal/operator"
	"portal/internal/password"
)

// CreateOperator creates a back-office login whose second factor is already set up with a
// secret drawn for the test, as most tests need one (the enrolment itself has tests of its
// own). Sign it in with Client.AdminLogin.
func (e *Env) CreateOperator(t testing.TB, login, name, plain string, role operator.Role) operator.Operator {
	t.Helper()
	o := e.CreateOperatorUnenrolled(t, login, name, plain, role)
	secret, err := operator.NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	if err := operator.EnrolKnownSecret(context.Background(), e.DB, e.Config.SessionSecret, o.ID, secret); err != nil {
		t.Fatal(err)
	}
	o, err = operator.ByID(context.Background(), e.DB, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// CreateOperatorUnenrolled creates a back-office login without a second factor: its first
// sign-in leads to the enrolment.
func (e *Env) CreateOperatorUnenrolled(t testing.TB, login, name, plain string, role operator.Role) operator.Operator {
	t.Helper()
	hash, err := password.Hash(plain)
	if err != nil {
		t.Fatal(err)
	}
	o, err := operator.Create(context.Background(), e.DB, operator.NewOperator{Login: login, Name: name, Role: role, PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// OperatorCode returns the code the operator's authenticator shows now. It also forgets
// the step the operator last used, so that one test may sign the same operator in several
// times within 30 seconds; the refusal of a replayed code is tested on its own.
func (e *Env) OperatorCode(t testing.TB, login string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := e.DB.Exec(ctx, `UPDATE operators SET totp_last_step = 0 WHERE login = $1`, login); err != nil {
		t.Fatal(err)
	}
	code, err := operator.CurrentCode(ctx, e.DB, e.Config.SessionSecret, login, time.Now())
	if err != nil {
		t.Fatalf("webtest: code of %s: %v", login, err)
	}
	return code
}

// AdminLogin signs the client in to the back office as a test operator would: the
// password on /admin/login, then the current code on /admin/login/code. It returns the
// last answer: the 303 into the back office on success, else whatever refused (the
// password step's page, say). Operators made with Env.CreateOperator have a factor.
func (c *Client) AdminLogin(login, plain string) *Response {
	c.t.Helper()
	c.Get("/admin/login")
	res := c.PostForm("/admin/login", url.Values{"login": {login}, "password": {plain}})
	if res.Status != 303 || res.Location != "/admin/login/code" {
		return res
	}
	return c.PostForm("/admin/login/code", url.Values{"code": {c.env.OperatorCode(c.t, login)}})
}
