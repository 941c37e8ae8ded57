package content

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/operator"
)

// How a news item is to be published, as the form asks it.
const (
	// PublishDraft keeps it (or makes it again) a draft nobody else sees.
	PublishDraft = "draft"
	// PublishNow shows it from now on.
	PublishNow = "now"
	// PublishScheduled shows it from Date Time (JST) on.
	PublishScheduled = "schedule"
	// PublishKeep leaves the publish time of a published or scheduled item as it is.
	PublishKeep = "keep"
)

// NewsInput is the news form as typed.
type NewsInput struct {
	Category string
	Title    string
	Body     string
	Publish  string
	// Date and Time are the scheduled publish time in JST: 2026-12-01 and 09:00.
	Date, Time string
}

// Audit actions of news management.
const (
	ActionNewsCreate    = "news.create"
	ActionNewsUpdate    = "news.update"
	ActionNewsUnpublish = "news.unpublish"
)

// TargetNews is the audit target type of a news item.
const TargetNews = "news"

// InvalidError carries the field errors of an input that the rules refuse.
type InvalidError struct{ Errors form.Errors }

func (e *InvalidError) Error() string { return "content: input not valid" }

// CheckNews applies the rules to in, for a new item (existing nil) or a change of existing,
// at now; it returns the item to store (without ID and audit fields) and the field errors.
func CheckNews(in NewsInput, existing *News, now time.Time) (News, form.Errors) {
	var errs form.Errors
	n := News{Category: in.Category, Title: in.Title, Body: in.Body}
	if !slices.Contains(Categories, in.Category) {
		errs.Add("category", "種別を選択してください。")
	}
	switch l := utf8.RuneCountInString(in.Title); {
	case strings.TrimSpace(in.Title) == "":
		errs.Add("title", "タイトルを入力してください。")
	case l > MaxNewsTitle:
		errs.Add("title", fmt.Sprintf("タイトルは%d文字以下で入力してください（現在%d文字）。", MaxNewsTitle, l))
	}
	switch l := utf8.RuneCountInString(in.Body); {
	case strings.TrimSpace(in.Body) == "":
		errs.Add("body", "本文を入力してください。")
	case l > MaxNewsBody:
		errs.Add("body", fmt.Sprintf("本文は%d文字以下で入力してください（現在%d文字）。", MaxNewsBody, l))
	}
	switch in.Publish {
	case PublishDraft:
	case PublishNow:
		t := now
		n.PublishAt = &t
	case PublishKeep:
		if existing == nil || existing.PublishAt == nil {
			errs.Add("publish", "公開方法を選択してください。")
		} else {
			n.PublishAt = existing.PublishAt
		}
	case PublishScheduled:
		at, ok := parseJST(in.Date, in.Time)
		switch {
		case !ok:
			errs.Add("publish_date", "公開日時を「2026-12-01」「09:00」の形式で入力してください。")
		case !at.After(now):
			errs.Add("publish_date", "公開日時には現在より後の日時を指定してください。すぐに公開する場合は「すぐに公開する」を選んでください。")
		case at.After(now.AddDate(2, 0, 0)):
			errs.Add("publish_date", "公開日時は2年以内で指定してください。")
		default:
			n.PublishAt = &at
		}
	default:
		errs.Add("publish", "公開方法を選択してください。")
	}
	return n, errs
}

// parseJST reads a date and an hh:mm time of day in Japan.
func parseJST(date, clock string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(date)+" "+strings.TrimSpace(clock), jp.Zone)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// AllNews lists every news item for the back office (see AllNews).
func (s *Service) AllNews(ctx context.Context, limit, offset int) ([]News, error) {
	return AllNews(ctx, s.db, limit, offset)
}

// CountAllNews returns how many news items exist in any state.
func (s *Service) CountAllNews(ctx context.Context) (int, error) { return CountAllNews(ctx, s.db) }

// AnyNews returns one news item whatever its state, for the back office.
func (s *Service) AnyNews(ctx context.Context, id int64) (News, error) {
	return AnyNewsByID(ctx, s.db, id)
}

// SaveNews is 保存 on the news form: it creates the item (id 0) or changes item id, with the
// publish time the form chose, and records who did it. Refused input is an *InvalidError.
func (s *Service) SaveNews(ctx context.Context, operatorID, id int64, in NewsInput) (News, error) {
	var saved News
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var existing *News
		if id != 0 {
			n, err := scanNews(tx.QueryRow(ctx, `SELECT `+newsColumns+` FROM news WHERE id = $1 FOR UPDATE`, id))
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return fmt.Errorf("content: save news %d: %w", id, err)
			}
			existing = &n
		}
		n, errs := CheckNews(in, existing, s.now())
		if !errs.Valid() {
			return &InvalidError{Errors: errs}
		}
		n.ID, n.UpdatedBy = id, operatorID
		action := ActionNewsUpdate
		if id == 0 {
			action = ActionNewsCreate
			newID, err := InsertNews(ctx, tx, n)
			if err != nil {
				return err
			}
			n.ID = newID
		} else if err := UpdateNews(ctx, tx, n); err != nil {
			return err
		}
		var err error
		if saved, err = AnyNewsByID(ctx, tx, n.ID); err != nil {
			return err
		}
		return operator.Record(ctx, tx, operatorID, action, TargetNews, n.ID,
			map[string]any{"title": n.Title, "state": saved.State(s.now()), "publish_at": saved.PublishAt})
	})
	return saved, err
}

// UnpublishNews is 公開を取りやめる: visitors no longer see the item; it stays as a draft.
func (s *Service) UnpublishNews(ctx context.Context, operatorID, id int64) error {
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var title string
		err := tx.QueryRow(ctx, `UPDATE news SET publish_at = NULL, updated_at = now(), updated_by = $2
			WHERE id = $1 RETURNING title`, id, operatorID).Scan(&title)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("content: unpublish news %d: %w", id, err)
		}
		return operator.Record(ctx, tx, operatorID, ActionNewsUnpublish, TargetNews, id, map[string]string{"title": title})
	})
}
