package webtest_test

import (
	"context"
	"strings"
	"testing"

	"portal/internal/mail"
	"portal/internal/webtest"
)

func TestEnvDeliversMailOverSMTP(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	if env.SMTP == nil {
		t.Fatal("no SMTP server")
	}
	err := mail.Enqueue(context.Background(), env.DB, "clinic@example.jp", "cardreader_applied",
		mail.CardReaderApplied{FacilityName: "webtest医院", ReferenceNumber: "CR-1", BaseURL: env.Config.BaseURL})
	if err != nil {
		t.Fatal(err)
	}
	m := env.WaitMail(t, "clinic@example.jp", "申込完了")
	if !strings.Contains(m.Body, "webtest医院 ご担当者様") || !strings.Contains(m.Body, env.Config.BaseURL+"/login") {
		t.Errorf("body:\n%s", m.Body)
	}
	if n := len(env.Mails(t)); n != 1 {
		t.Errorf("%d mails", n)
	}
}

func TestEnvWithCatcher(t *testing.T) {
	t.Parallel()
	env := webtest.NewWithCatcher(t)
	if env.SMTP != nil || env.Config.SMTP.Configured() {
		t.Fatal("SMTP configured in catcher mode")
	}
	err := mail.Enqueue(context.Background(), env.DB, "dev@example.jp", "cardreader_applied",
		mail.CardReaderApplied{FacilityName: "捕獲医院", ReferenceNumber: "CR-2", BaseURL: env.Config.BaseURL})
	if err != nil {
		t.Fatal(err)
	}
	if m := env.WaitMail(t, "dev@example.jp", "申込完了"); !strings.Contains(m.Body, "捕獲医院") {
		t.Errorf("body:\n%s", m.Body)
	}
}
