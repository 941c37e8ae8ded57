package inquiry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/operator"
)

// Template is an answer template (回答テンプレート). Its body may hold the placeholders
// PlaceholderName and PlaceholderCode, replaced by the case's facility when used.
type Template struct {
	ID        int64
	Title     string
	Body      string
	SortOrder int
	UpdatedAt time.Time
}

// The placeholders of a template's body.
const (
	PlaceholderName = "{{施設名}}"
	PlaceholderCode = "{{医療機関等コード}}"
)

// Audit actions of template management.
const (
	ActionTemplateSave   = "inquiry.template_save"
	ActionTemplateDelete = "inquiry.template_delete"
)

// TargetTemplate is the audit target type of an answer template.
const TargetTemplate = "inquiry_template"

// Fill returns the template's body for case x: the placeholders become its facility's
// name and 10-digit code, or the sender's name and 「（未登録）」 when no facility is linked.
func (t Template) Fill(x Inquiry) string {
	name, code := x.FacilityName, x.FacilityCode
	if x.FacilityID == 0 {
		name, code = x.Name, "（未登録）"
	}
	return strings.NewReplacer(PlaceholderName, name, PlaceholderCode, code).Replace(t.Body)
}

// Templates lists the answer templates in their order.
func (s *Service) Templates(ctx context.Context) ([]Template, error) {
	rows, err := s.db.Query(ctx, `SELECT id, title, body, sort_order, updated_at FROM inquiry_templates ORDER BY sort_order, id`)
	if err != nil {
		return nil, fmt.Errorf("inquiry: templates: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Template, error) {
		var t Template
		return t, r.Scan(&t.ID, &t.Title, &t.Body, &t.SortOrder, &t.UpdatedAt)
	})
	if err != nil {
		return nil, fmt.Errorf("inquiry: templates: %w", err)
	}
	return list, nil
}

// Template returns one answer template.
func (s *Service) Template(ctx context.Context, id int64) (Template, error) {
	var t Template
	err := s.db.QueryRow(ctx, `SELECT id, title, body, sort_order, updated_at FROM inquiry_templates WHERE id = $1`, id).
		Scan(&t.ID, &t.Title, &t.Body, &t.SortOrder, &t.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, ErrNotFound
	}
	if err != nil {
		return t, fmt.Errorf("inquiry: template %d: %w", id, err)
	}
	return t, nil
}

// CheckTemplate applies the rules to a template as typed.
func CheckTemplate(t Template) form.Errors {
	var errs form.Errors
	switch n := utf8.RuneCountInString(t.Title); {
	case strings.TrimSpace(t.Title) == "":
		errs.Add("title", "テンプレート名を入力してください。")
	case n > 100:
		errs.Add("title", "テンプレート名は100文字以下で入力してください。")
	}
	checkText(&errs, "body", "本文", t.Body)
	if t.SortOrder < 0 || t.SortOrder > 9999 {
		errs.Add("sort_order", "表示順は0から9999の数字で入力してください。")
	}
	return errs
}

// SaveTemplate creates (t.ID 0) or changes an answer template (supervisors).
func (s *Service) SaveTemplate(ctx context.Context, operatorID int64, t Template) (int64, error) {
	if errs := CheckTemplate(t); !errs.Valid() {
		return 0, &InvalidError{Errors: errs}
	}
	id := t.ID
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		if id == 0 {
			err = tx.QueryRow(ctx, `INSERT INTO inquiry_templates (title, body, sort_order, updated_by) VALUES ($1, $2, $3, $4)
				RETURNING id`, t.Title, t.Body, t.SortOrder, operatorID).Scan(&id)
		} else {
			var tag interface{ RowsAffected() int64 }
			tag, err = tx.Exec(ctx, `UPDATE inquiry_templates SET title = $2, body = $3, sort_order = $4, updated_by = $5,
				updated_at = now() WHERE id = $1`, id, t.Title, t.Body, t.SortOrder, operatorID)
			if err == nil && tag.RowsAffected() == 0 {
				return ErrNotFound
			}
		}
		if database.IsUniqueViolation(err, "inquiry_templates_title_key") {
			return &InvalidError{Errors: form.Errors{"title": "同じ名前のテンプレートがすでにあります。"}}
		}
		if err != nil {
			return fmt.Errorf("inquiry: save template: %w", err)
		}
		return operator.Record(ctx, tx, operatorID, ActionTemplateSave, TargetTemplate, id, map[string]string{"title": t.Title})
	})
	return id, err
}

// DeleteTemplate removes an answer template; answers already sent keep their text.
func (s *Service) DeleteTemplate(ctx context.Context, operatorID, id int64) error {
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var title string
		err := tx.QueryRow(ctx, `DELETE FROM inquiry_templates WHERE id = $1 RETURNING title`, id).Scan(&title)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("inquiry: delete template: %w", err)
		}
		return operator.Record(ctx, tx, operatorID, ActionTemplateDelete, TargetTemplate, id, map[string]string{"title": title})
	})
}
