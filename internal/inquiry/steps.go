package inquiry

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/mail"
	"portal/internal/operator"
)

// Audit actions of the operators' steps on cases.
const (
	ActionAnswer = "inquiry.answer"
	ActionNote   = "inquiry.note"
	ActionStatus = "inquiry.status"
	ActionUpdate = "inquiry.update"
	ActionLink   = "inquiry.link_facility"
	ActionOpen   = "inquiry.open_phone"
)

// TargetInquiry is the audit target type of a case.
const TargetInquiry = "inquiry"

// checkStep checks the text and token of a thread form (an answer, a note, a reply).
func checkStep(body, label, token string) form.Errors {
	var errs form.Errors
	checkText(&errs, "body", label, body)
	if !validStepToken(token) {
		errs.Add("body", "画面の有効期限が切れました。お手数ですが、画面を開き直してから送信してください。")
	}
	return errs
}

// Case returns a case with its whole thread, for the operators.
func (s *Service) Case(ctx context.Context, id int64) (Case, error) {
	x, err := byID(ctx, s.db, id, 0, false)
	if err != nil {
		return Case{}, err
	}
	msgs, err := thread(ctx, s.db, id, true)
	if err != nil {
		return Case{}, err
	}
	return Case{Inquiry: x, Thread: msgs}, nil
}

// Attachment returns a file of any case, for the operators.
func (s *Service) Attachment(ctx context.Context, id int64) (File, error) {
	return attachment(ctx, s.db, id, 0)
}

// step runs fn on case id locked in a transaction, then records the audit entry.
func (s *Service) step(ctx context.Context, operatorID, id int64, fn func(tx pgx.Tx, x Inquiry) (action string, detail map[string]any, err error)) error {
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		x, err := byID(ctx, tx, id, 0, true)
		if err != nil {
			return err
		}
		action, detail, err := fn(tx, x)
		if err != nil || action == "" {
			return err
		}
		if detail == nil {
			detail = map[string]any{}
		}
		detail["reference"] = x.Reference
		return operator.Record(ctx, tx, operatorID, action, TargetInquiry, id, detail)
	})
}

// Answer is 回答する: the answer joins the thread and is mailed to the case's address
// through the outbox; the case becomes 回答済 and, if nobody had it, the operator's. A
// closed case refuses it with *ClosedError (reopen first). A case without an address (a
// phone caller's) records the answer without a mail. The same form posted twice answers once.
func (s *Service) Answer(ctx context.Context, operatorID, id int64, body, token string) error {
	if errs := checkStep(body, "回答", token); !errs.Valid() {
		return &InvalidError{Errors: errs}
	}
	return s.step(ctx, operatorID, id, func(tx pgx.Tx, x Inquiry) (string, map[string]any, error) {
		to, err := Next(x.Status, ActAnswer, ByOperator)
		if err != nil {
			return "", nil, &ClosedError{Message: MsgClosedAnswer}
		}
		msgID, added, err := addMessage(ctx, tx, id, KindAnswer, operatorID, body, token)
		if err != nil || !added {
			return "", nil, err
		}
		mailed := x.Email != ""
		if mailed {
			mailID, err := mail.Send(ctx, tx, mail.Message{To: x.Email, Template: "inquiry_answered", FacilityID: x.FacilityID,
				Data: mail.InquiryAnswered{Name: x.Name, Reference: x.Reference, Answer: body, Mypage: x.FacilityID != 0, BaseURL: s.baseURL}})
			if err != nil {
				return "", nil, err
			}
			if _, err := tx.Exec(ctx, `UPDATE inquiry_messages SET mail_id = $2 WHERE id = $1`, msgID, mailID); err != nil {
				return "", nil, fmt.Errorf("inquiry: answer mail: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE inquiries SET assignee_id = coalesce(assignee_id, $2) WHERE id = $1`, id, operatorID); err != nil {
			return "", nil, fmt.Errorf("inquiry: answer: %w", err)
		}
		return ActionAnswer, map[string]any{"mailed": mailed}, touch(ctx, tx, id, to)
	})
}

// Note adds an internal note the facility never sees; it changes no status.
func (s *Service) Note(ctx context.Context, operatorID, id int64, body, token string) error {
	if errs := checkStep(body, "内部メモ", token); !errs.Valid() {
		return &InvalidError{Errors: errs}
	}
	return s.step(ctx, operatorID, id, func(tx pgx.Tx, x Inquiry) (string, map[string]any, error) {
		if _, added, err := addMessage(ctx, tx, id, KindNote, operatorID, body, token); err != nil || !added {
			return "", nil, err
		}
		_, err := tx.Exec(ctx, `UPDATE inquiries SET updated_at = now() WHERE id = $1`, id)
		return ActionNote, nil, err
	})
}

// Act takes one of the status steps (対応中にする, クローズする, 再開する); a step the case's
// status does not allow is ErrNotAllowed (the page offers only the allowed ones, so this
// is a stale page or a forged post).
func (s *Service) Act(ctx context.Context, operatorID, id int64, action Action) error {
	if action == ActAnswer || action == ActReply {
		return ErrNotAllowed
	}
	return s.step(ctx, operatorID, id, func(tx pgx.Tx, x Inquiry) (string, map[string]any, error) {
		to, err := Next(x.Status, action, ByOperator)
		if err != nil {
			return "", nil, err
		}
		if err := event(ctx, tx, id, operatorID, fmt.Sprintf("状態を「%s」から「%s」に変更しました。", x.Status, to)); err != nil {
			return "", nil, err
		}
		return ActionStatus, map[string]any{"from": x.Status, "to": to}, touch(ctx, tx, id, to)
	})
}

func event(ctx context.Context, db database.DB, id, operatorID int64, text string) error {
	_, _, err := addMessage(ctx, db, id, KindEvent, operatorID, text, "")
	return err
}

// Update sets the case's assignee (0: nobody) and priority, and notes each change in
// the thread.
func (s *Service) Update(ctx context.Context, operatorID, id, assigneeID int64, priority int) error {
	if !slices.Contains(Priorities, priority) {
		return &InvalidError{Errors: form.Errors{"priority": "優先度を選択してください。"}}
	}
	return s.step(ctx, operatorID, id, func(tx pgx.Tx, x Inquiry) (string, map[string]any, error) {
		name := ""
		if assigneeID != 0 {
			o, err := operator.ByID(ctx, tx, assigneeID)
			if err != nil {
				return "", nil, &InvalidError{Errors: form.Errors{"assignee": "担当者を選択肢から選択してください。"}}
			}
			name = o.Name
		}
		var changes []string
		if assigneeID != x.AssigneeID {
			changes = append(changes, fmt.Sprintf("担当者を「%s」に変更しました。", orNone(name)))
		}
		if priority != x.Priority {
			changes = append(changes, fmt.Sprintf("優先度を「%s」に変更しました。", PriorityLabel(priority)))
		}
		if len(changes) == 0 {
			return "", nil, nil
		}
		for _, c := range changes {
			if err := event(ctx, tx, id, operatorID, c); err != nil {
				return "", nil, err
			}
		}
		_, err := tx.Exec(ctx, `UPDATE inquiries SET assignee_id = NULLIF($2::bigint, 0), priority = $3, updated_at = now()
			WHERE id = $1`, id, assigneeID, priority)
		if err != nil {
			return "", nil, fmt.Errorf("inquiry: update %d: %w", id, err)
		}
		return ActionUpdate, map[string]any{"assignee": assigneeID, "priority": priority}, nil
	})
}

func orNone(s string) string {
	if s == "" {
		return "なし"
	}
	return s
}

// LinkFacility ties the case to facility facilityID (0 unties it). The case then shows on
// that facility's マイページ, with its answers.
func (s *Service) LinkFacility(ctx context.Context, operatorID, id, facilityID int64) error {
	return s.step(ctx, operatorID, id, func(tx pgx.Tx, x Inquiry) (string, map[string]any, error) {
		if facilityID == x.FacilityID {
			return "", nil, nil
		}
		text := "医療機関等との紐付けを解除しました。"
		if facilityID != 0 {
			var name, code string
			err := tx.QueryRow(ctx, `SELECT name, lpad(prefecture_code::text, 2, '0') || score_table_code || code
				FROM facilities WHERE id = $1`, facilityID).Scan(&name, &code)
			if errors.Is(err, pgx.ErrNoRows) {
				return "", nil, &InvalidError{Errors: form.Errors{"facility": "医療機関等が見つかりません。検索し直してください。"}}
			}
			if err != nil {
				return "", nil, fmt.Errorf("inquiry: link facility: %w", err)
			}
			text = fmt.Sprintf("医療機関等「%s（%s）」に紐付けました。", name, code)
		}
		if err := event(ctx, tx, id, operatorID, text); err != nil {
			return "", nil, err
		}
		_, err := tx.Exec(ctx, `UPDATE inquiries SET facility_id = NULLIF($2::bigint, 0), updated_at = now() WHERE id = $1`, id, facilityID)
		if err != nil {
			return "", nil, fmt.Errorf("inquiry: link facility: %w", err)
		}
		return ActionLink, map[string]any{"facility_id": facilityID}, nil
	})
}

// OpenForCaller opens a case for a phone caller in one step: linked to the facility when
// one is given, the operator's own, 対応中, or 回答済 when the answer was given on the phone
// (recorded as the answer, no mail). The same form posted twice opens one case. It
// returns the new case's id.
func (s *Service) OpenForCaller(ctx context.Context, operatorID int64, in PhoneCase, token string) (int64, error) {
	errs := CheckPhoneCase(in)
	if !validStepToken(token) {
		errs.Add("question", "画面の有効期限が切れました。お手数ですが、画面を開き直してから登録してください。")
	}
	if !errs.Valid() {
		return 0, &InvalidError{Errors: errs}
	}
	var id int64
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT id FROM inquiries WHERE form_token = $1`, "phone:"+token).Scan(&id); err == nil {
			return nil // posted twice
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("inquiry: open: %w", err)
		}
		var code string
		if in.FacilityID != 0 {
			err := tx.QueryRow(ctx, `SELECT lpad(prefecture_code::text, 2, '0') || score_table_code || code FROM facilities WHERE id = $1`,
				in.FacilityID).Scan(&code)
			if errors.Is(err, pgx.ErrNoRows) {
				return &InvalidError{Errors: form.Errors{"facility": "医療機関等が見つかりません。"}}
			}
			if err != nil {
				return fmt.Errorf("inquiry: open: %w", err)
			}
		}
		ref, err := NewReference(ctx, tx, s.Now())
		if err != nil {
			return err
		}
		status := InProgress
		if in.AnsweredByPhone != "" {
			status = Answered
		}
		err = tx.QueryRow(ctx, `INSERT INTO inquiries (reference, status, priority, channel, category, facility_id, facility_code,
				name, email, phone, assignee_id, opened_by, form_token)
			VALUES ($1, $2, $3, 'phone', $4, NULLIF($5::bigint, 0), $6, $7, $8, $9, $10, $10, $11)
			ON CONFLICT (form_token) DO NOTHING RETURNING id`,
			ref, status, in.Priority, in.Category, in.FacilityID, code, in.Name, in.Email, in.Phone, operatorID, "phone:"+token).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			// Posted twice at once: the other request, which held the token and has
			// committed, opened the case.
			if err := tx.QueryRow(ctx, `SELECT id FROM inquiries WHERE form_token = $1`, "phone:"+token).Scan(&id); err != nil {
				return fmt.Errorf("inquiry: open: %w", err)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("inquiry: open: %w", err)
		}
		if _, _, err := addMessage(ctx, tx, id, KindQuestion, 0, in.Question, ""); err != nil {
			return err
		}
		if in.AnsweredByPhone != "" {
			if _, _, err := addMessage(ctx, tx, id, KindAnswer, operatorID, in.AnsweredByPhone, ""); err != nil {
				return err
			}
		}
		return operator.Record(ctx, tx, operatorID, ActionOpen, TargetInquiry, id, map[string]any{"reference": ref, "facility_id": in.FacilityID})
	})
	return id, err
}
