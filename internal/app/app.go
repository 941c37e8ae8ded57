// Package app wires the portal's domain services onto one database pool: what the web
// layer is given, so that no package under internal/web touches the database itself.
package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/application"
	"portal/internal/auditlog"
	"portal/internal/batch"
	"portal/internal/broadcast"
	"portal/internal/cardreader"
	"portal/internal/certificate"
	"portal/internal/config"
	"portal/internal/content"
	"portal/internal/document"
	"portal/internal/facility"
	"portal/internal/inquiry"
	"portal/internal/jobs"
	"portal/internal/mail"
	"portal/internal/mypage"
	"portal/internal/operator"
	"portal/internal/outbox"
	"portal/internal/postal"
	"portal/internal/qualification"
	"portal/internal/ratelimit"
	"portal/internal/session"
)

// Services are the domain services of one portal instance.
type Services struct {
	// Jobs is the instance's background job client (River); the caller starts it once
	// every service has registered its workers, and stops it on shutdown.
	Jobs      *jobs.Client
	Accounts  *account.Service
	Operators *operator.Service
	// Audit reads the audit trail (操作履歴) for supervisors.
	Audit      *auditlog.Service
	Content    *content.Service
	CardReader *cardreader.Service
	// Qualification is オンライン資格確認利用申請; Certificates 電子証明書発行申請.
	Qualification *qualification.Service
	Certificates  *certificate.Service
	Mailbox       *mail.Mailbox
	// Facilities is the call center's facility search, facility page and steps.
	Facilities *facility.Service
	// Batches are the supervisors' master import and letter batch (River jobs).
	Batches *batch.Service
	// Outbox is メール送信状況: the outbox list, one mail, 再試行 and 再送.
	Outbox *outbox.Service
	// MyPage reads マイページ in one round trip.
	MyPage *mypage.Service
	// Inquiries is 問い合わせ; Broadcasts 一斉送信; Documents 個別文書.
	Inquiries  *inquiry.Service
	Broadcasts *broadcast.Service
	Documents  *document.Service
	// Postal answers 郵便番号 lookups from this instance's in-memory snapshot.
	Postal *postal.Directory
	// Sessions is the PostgreSQL store of the browser sessions.
	Sessions scs.Store
	// Ping reports whether the database answers (readiness).
	Ping func(ctx context.Context) error
}

// New builds the services on db, with a job client configured by opt.
func New(cfg *config.Config, db *pgxpool.Pool, log *slog.Logger, opt jobs.Options) (*Services, error) {
	q, err := jobs.New(db, log, opt)
	if err != nil {
		return nil, err
	}
	limits := ratelimit.New(db, cfg.SessionSecret)
	broadcasts := broadcast.NewService(db, q, cfg.BaseURL)
	svc := &Services{
		Jobs:          q,
		Accounts:      account.NewService(db, q, limits, cfg.SessionSecret, cfg.BaseURL),
		Operators:     operator.NewService(db, limits, cfg.SessionSecret),
		Audit:         auditlog.NewService(db),
		Content:       content.NewService(db),
		CardReader:    cardreader.NewService(db, cfg.BaseURL),
		Qualification: qualification.NewService(db, cfg.BaseURL),
		Certificates:  certificate.NewService(db, cfg.BaseURL),
		Inquiries:     inquiry.NewService(db, limits, cfg.SessionSecret, cfg.BaseURL),
		Broadcasts:    broadcasts,
		Documents:     document.NewService(db, broadcasts, cfg.BaseURL),
		Mailbox:       mail.NewMailbox(db),
		Postal:        postal.NewDirectory(db, log, postal.DefaultCheckInterval),
		Sessions:      session.New(context.Background(), db, log, 10*time.Minute),
		Ping:          db.Ping,
		Batches:       batch.NewService(db, q, cfg.SessionSecret, log),
		Outbox:        outbox.NewService(db),
	}
	svc.MyPage = mypage.NewService(db, map[string]application.OverviewQueuer{
		cardreader.Kind.Code:    svc.CardReader,
		qualification.Kind.Code: svc.Qualification,
		certificate.Kind.Code:   svc.Certificates,
	})
	svc.Facilities = facility.NewService(db, cfg.SessionSecret, cfg.BaseURL,
		facility.Kind{Title: cardreader.Kind.Title, Overview: svc.CardReader.Overview},
		facility.Kind{Title: qualification.Kind.Title, Overview: svc.Qualification.Overview},
		facility.Kind{Title: certificate.Kind.Title, Overview: svc.Certificates.Overview})
	return svc, nil
}
