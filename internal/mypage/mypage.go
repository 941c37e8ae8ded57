// Package mypage reads マイページ: each application kind's place in the introduction
// schedule with its history, the documents addressed to the facility and its latest
// inquiries, queued on one batch and sent in one round trip to PostgreSQL.
package mypage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/application"
	"portal/internal/inquiry"
)

// Service reads マイページ.
type Service struct {
	db *pgxpool.Pool
	// kinds are the built application kinds by code.
	kinds map[string]application.OverviewQueuer
}

// NewService returns the マイページ reader over the application kinds given by code.
func NewService(db *pgxpool.Pool, kinds map[string]application.OverviewQueuer) *Service {
	return &Service{db: db, kinds: kinds}
}

// Page is what マイページ shows of a facility.
type Page struct {
	// Overviews are the built kinds' places, by kind code.
	Overviews map[string]application.Overview
	Messages  []account.Message
	Inquiries []inquiry.Inquiry
}

// Read reads the facility's マイページ: every query on one batch, one round trip.
func (s *Service) Read(ctx context.Context, f account.Facility, messages, inquiries int) (Page, error) {
	p := Page{Overviews: make(map[string]application.Overview, len(s.kinds))}
	b := &pgx.Batch{}
	history := application.QueueHistory(b, f.ID)
	builds := make(map[string]func([]application.Event) (application.Overview, error), len(s.kinds))
	for code, k := range s.kinds {
		builds[code] = k.QueueOverview(b, f)
	}
	account.QueueMessages(b, f.ID, messages, &p.Messages)
	inquiry.QueueFacilityCases(b, f.ID, inquiries, &p.Inquiries)
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return p, fmt.Errorf("mypage: %w", err)
	}
	byKind := history()
	for code, build := range builds {
		ov, err := build(byKind[code])
		if err != nil {
			return p, err
		}
		p.Overviews[code] = ov
	}
	return p, nil
}
