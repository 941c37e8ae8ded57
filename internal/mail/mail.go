// Package mail renders the portal's mails from templates, writes them to the outbox in the
// transaction of the change that causes them (Send, Enqueue), and delivers them with a Worker
// (SMTP, or the development catcher shown at /dev/mailbox). A mail exists if and only if its
// change commits, nothing is lost while SMTP is down (the worker retries with back-off), and
// a mail the server accepted is not sent again (see Worker). The outbox is also the
// operators' delivery record (メール送信状況): List, Get, and the store halves of package
// outbox's Retry and Resend; PruneBodies drops old mails' text and keeps the record.
//
// # Templates
//
// One file per message in internal/mail/templates/NAME.txt (embedded), a text/template:
//
//	Subject: 顔認証付きカードリーダー申込完了のお知らせ
//
//	◆◆—————◆◆
//
//	顔認証付きカードリーダー申込完了のご案内
//
//	◆◆—————◆◆
//
//	{{.FacilityName}} ご担当者様
//	…
//	{{template "footer" .}}
//
// The first line is "Subject: " and the subject (it may use template actions; the rendered
// subject must be one line), the second line is blank, and the rest is the plain-text
// Japanese body in the seeds' 「◆◆—————◆◆」 style, ending with {{template "footer" .}}
// (the portal's name and the call center, from _footer.txt). Files whose name starts with
// "_" hold shared {{define}} blocks and are not messages.
//
// Pass a typed struct as data (see data.go): templates run with missingkey=error, and a
// field the struct lacks is an error at Enqueue, so a mail never goes out with a hole.
// Funcs: {{date .T}} formats a time.Time in the one date format, 2026年12月1日（令和8年12月1日）. Every template is parsed and checked
// for its Subject line when the program starts, so a broken template stops start-up.
package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"portal/internal/jp"
	"sort"
	"strings"
	"text/template"
)

//go:embed templates/*.txt
var templateFS embed.FS

// notifyChannel is the PostgreSQL NOTIFY channel that wakes the workers on a new mail.
const notifyChannel = "mail_outbox"

// message is one parsed template file.
type message struct {
	subject *template.Template
	body    *template.Template
}

var funcs = template.FuncMap{
	"date": jp.Date,
}

// messages holds every template, parsed at start-up: the templates are compiled into the
// binary, so a broken one is a programming error that must stop the program at once.
var messages = mustParse(templateFS)

func mustParse(fsys fs.FS) map[string]message {
	m, err := parseTemplates(fsys)
	if err != nil {
		panic(err)
	}
	return m
}

func parseTemplates(fsys fs.FS) (map[string]message, error) {
	files, err := fs.Glob(fsys, "templates/*.txt")
	if err != nil {
		return nil, err
	}
	shared := template.New("").Option("missingkey=error").Funcs(funcs)
	for _, f := range files {
		if strings.HasPrefix(path.Base(f), "_") {
			if _, err := shared.ParseFS(fsys, f); err != nil {
				return nil, fmt.Errorf("mail: parse %s: %w", f, err)
			}
		}
	}
	out := make(map[string]message)
	for _, f := range files {
		base := path.Base(f)
		if strings.HasPrefix(base, "_") {
			continue
		}
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		subjectSrc, bodySrc, err := splitTemplate(string(src))
		if err != nil {
			return nil, fmt.Errorf("mail: %s: %w", f, err)
		}
		set, err := shared.Clone()
		if err != nil {
			return nil, err
		}
		subject, err := set.New("subject").Parse(subjectSrc)
		if err != nil {
			return nil, fmt.Errorf("mail: parse %s subject: %w", f, err)
		}
		body, err := set.New("body").Parse(bodySrc)
		if err != nil {
			return nil, fmt.Errorf("mail: parse %s: %w", f, err)
		}
		out[strings.TrimSuffix(base, ".txt")] = message{subject: subject, body: body}
	}
	return out, nil
}

// splitTemplate separates "Subject: …\n\nbody" into its subject and body sources.
func splitTemplate(src string) (subject, body string, err error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	first, rest, ok := strings.Cut(src, "\n")
	if !ok || !strings.HasPrefix(first, "Subject: ") {
		return "", "", errors.New(`first line must be "Subject: ..."`)
	}
	subject = strings.TrimSpace(strings.TrimPrefix(first, "Subject: "))
	if subject == "" {
		return "", "", errors.New("empty subject")
	}
	body, ok = strings.CutPrefix(rest, "\n")
	if !ok {
		return "", "", errors.New("the subject line must be followed by a blank line")
	}
	if strings.TrimSpace(body) == "" {
		return "", "", errors.New("empty body")
	}
	return subject, body, nil
}

// Templates lists the names of every message template, sorted.
func Templates() []string {
	names := make([]string, 0, len(messages))
	for n := range messages {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Render produces the subject and plain-text body of template name with data.
func Render(name string, data any) (subject, body string, err error) {
	m, ok := messages[name]
	if !ok {
		return "", "", fmt.Errorf("mail: no template %q", name)
	}
	return m.render(name, data)
}

func (m message) render(name string, data any) (subject, body string, err error) {
	var buf bytes.Buffer
	if err := m.subject.Execute(&buf, data); err != nil {
		return "", "", fmt.Errorf("mail: render %s subject: %w", name, err)
	}
	subject = strings.TrimSpace(buf.String())
	if subject == "" || strings.ContainsAny(subject, "\r\n") {
		return "", "", fmt.Errorf("mail: render %s: the subject must be one non-empty line", name)
	}
	buf.Reset()
	if err := m.body.Execute(&buf, data); err != nil {
		return "", "", fmt.Errorf("mail: render %s: %w", name, err)
	}
	body = strings.ReplaceAll(buf.String(), "\r\n", "\n")
	body = strings.TrimRight(body, "\n") + "\n"
	return clean(subject), clean(body), nil
}

// clean makes text safe to store and send whatever the data held: invalid UTF-8 becomes
// U+FFFD and control characters other than line feed and tab are dropped (PostgreSQL
// refuses NUL, and a stray CR or escape sequence has no place in a plain-text mail).
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || (r >= 0x20 && r != 0x7f && (r < 0x80 || r > 0x9f)) {
			return r
		}
		return -1
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
