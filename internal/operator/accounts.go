package operator

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/password"
)

// Errors of the supervisors' steps on operator accounts (オペレーター管理).
var (
	// ErrLastSupervisor means the step would leave no active supervisor.
	ErrLastSupervisor = errors.New("operator: the last active supervisor must stay")
	// ErrSelf means a supervisor tried one of these steps on their own account.
	ErrSelf = errors.New("operator: not on one's own account")
	// ErrNotAllowed means whoever asked is not (or no longer) an active supervisor.
	ErrNotAllowed = errors.New("operator: supervisors only")
	// ErrUnchanged means the account already is as asked (already disabled, same role).
	ErrUnchanged = errors.New("operator: nothing to change")
	// ErrWrongPassword means the current password given for a password change is wrong.
	ErrWrongPassword = errors.New("operator: current password is wrong")
)

// Messages of the operator account forms; the field names are the forms' input names.
const (
	MsgLoginRequired = "ログインIDを入力してください。"
	MsgLoginFormat   = "ログインIDは半角の英小文字・数字・記号（. _ -）で2～32文字、先頭は英小文字か数字で入力してください。"
	MsgLoginTaken    = "このログインIDは既に使われています。別のログインIDを入力してください。"
	MsgNameRequired  = "氏名を入力してください。"
	MsgNameLong      = "氏名は50文字以下で入力してください。"
	MsgRoleRequired  = "権限を選択してください。"
)

// loginPattern is what a back-office login may look like: short, lower-case ASCII, so it
// is typed the same way on every keyboard and reads the same in the audit trail.
var loginPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// maxNameRunes bounds an operator's name as the header and the audit trail show it.
const maxNameRunes = 50

// Draft is a new operator account as a supervisor enters it.
type Draft struct {
	Login string
	Name  string
	Role  Role
}

// CheckDraft applies the rules of a new operator account; fields "login", "name", "role".
func CheckDraft(d Draft) form.Errors {
	var errs form.Errors
	switch {
	case d.Login == "":
		errs.Add("login", MsgLoginRequired)
	case !loginPattern.MatchString(d.Login):
		errs.Add("login", MsgLoginFormat)
	}
	switch {
	case d.Name == "":
		errs.Add("name", MsgNameRequired)
	case utf8.RuneCountInString(d.Name) > maxNameRunes:
		errs.Add("name", MsgNameLong)
	}
	if !d.Role.Valid() {
		errs.Add("role", MsgRoleRequired)
	}
	return errs
}

// rolesLock serialises every step that can take a supervisor away (disabling, demoting),
// so two supervisors demoting each other at once cannot leave none.
const rolesLock = 7_402_115_030

// managed runs a supervisor's step on the account id in one transaction: the roles lock,
// the check that by is still an active supervisor and not acting on their own account,
// the target locked, then step.
func (s *Service) managed(ctx context.Context, by Operator, id int64, step func(tx pgx.Tx, target Operator) error) error {
	if by.ID == id {
		return ErrSelf
	}
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(rolesLock)); err != nil {
			return fmt.Errorf("operator: roles lock: %w", err)
		}
		actor, err := ByID(ctx, tx, by.ID)
		if err != nil || !actor.IsSupervisor() || !actor.Active() {
			return errors.Join(ErrNotAllowed, err)
		}
		target, err := byIDForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		return step(tx, target)
	})
}

// keepsASupervisor refuses a step that takes target's supervisor rights away when no
// other active supervisor would remain. Call it under rolesLock.
func keepsASupervisor(ctx context.Context, tx pgx.Tx, target Operator) error {
	if !target.IsSupervisor() || !target.Active() {
		return nil
	}
	var others int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM operators
		WHERE role = 'supervisor' AND disabled_at IS NULL AND id <> $1`, target.ID).Scan(&others); err != nil {
		return fmt.Errorf("operator: count supervisors: %w", err)
	}
	if others == 0 {
		return ErrLastSupervisor
	}
	return nil
}

// Create makes an operator account with a temporary password, returned once (the
// supervisor hands it over; the operator must change it and enrol a second factor at the
// first sign-in). ErrLoginTaken when the login is in use.
func (s *Service) Create(ctx context.Context, by Operator, d Draft) (Operator, string, error) {
	if errs := CheckDraft(d); !errs.Valid() {
		return Operator{}, "", fmt.Errorf("operator: create: invalid draft %v", errs)
	}
	temp, err := TemporaryPassword()
	if err != nil {
		return Operator{}, "", err
	}
	hash, err := password.Hash(temp)
	if err != nil {
		return Operator{}, "", err
	}
	var o Operator
	err = database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		actor, err := ByID(ctx, tx, by.ID)
		if err != nil || !actor.IsSupervisor() || !actor.Active() {
			return errors.Join(ErrNotAllowed, err)
		}
		if o, err = Create(ctx, tx, NewOperator{Login: d.Login, Name: d.Name, Role: d.Role, PasswordHash: hash, MustChangePassword: true}); err != nil {
			return err
		}
		return Record(ctx, tx, by.ID, ActionCreate, TargetOperator, o.ID, map[string]string{"login": o.Login, "role": string(o.Role)})
	})
	if err != nil {
		return Operator{}, "", err
	}
	return o, temp, nil
}

// SetActive disables (利用停止) or enables an operator account. Disabling ends the
// operator's sessions; the last active supervisor cannot be disabled.
func (s *Service) SetActive(ctx context.Context, by Operator, id int64, active bool) (Operator, error) {
	var o Operator
	err := s.managed(ctx, by, id, func(tx pgx.Tx, target Operator) error {
		if target.Active() == active {
			return ErrUnchanged
		}
		action, sql := ActionEnable, `UPDATE operators SET disabled_at = NULL WHERE id = $1 RETURNING `+columns
		if !active {
			if err := keepsASupervisor(ctx, tx, target); err != nil {
				return err
			}
			action, sql = ActionDisable, `UPDATE operators SET disabled_at = now(), session_version = session_version + 1
				WHERE id = $1 RETURNING `+columns
		}
		var err error
		if o, err = scan(tx.QueryRow(ctx, sql, id)); err != nil {
			return fmt.Errorf("operator: set active: %w", err)
		}
		return Record(ctx, tx, by.ID, action, TargetOperator, id, nil)
	})
	return o, err
}

// ChangeRole gives the operator role; the last active supervisor cannot be demoted.
func (s *Service) ChangeRole(ctx context.Context, by Operator, id int64, role Role) (Operator, error) {
	if !role.Valid() {
		return Operator{}, fmt.Errorf("operator: change role: unknown role %q", role)
	}
	var o Operator
	err := s.managed(ctx, by, id, func(tx pgx.Tx, target Operator) error {
		if target.Role == role {
			return ErrUnchanged
		}
		if role != RoleSupervisor {
			if err := keepsASupervisor(ctx, tx, target); err != nil {
				return err
			}
		}
		var err error
		if o, err = scan(tx.QueryRow(ctx, `UPDATE operators SET role = $2 WHERE id = $1 RETURNING `+columns, id, role)); err != nil {
			return fmt.Errorf("operator: change role: %w", err)
		}
		return Record(ctx, tx, by.ID, ActionRoleChange, TargetOperator, id, map[string]string{"from": string(target.Role), "to": string(role)})
	})
	return o, err
}

// ResetPassword gives the operator a new temporary password, returned once, ends the
// operator's sessions and lifts a lock-out of the login.
func (s *Service) ResetPassword(ctx context.Context, by Operator, id int64) (Operator, string, error) {
	temp, err := TemporaryPassword()
	if err != nil {
		return Operator{}, "", err
	}
	hash, err := password.Hash(temp)
	if err != nil {
		return Operator{}, "", err
	}
	var o Operator
	err = s.managed(ctx, by, id, func(tx pgx.Tx, target Operator) error {
		var err error
		if o, err = setPassword(ctx, tx, id, hash, true); err != nil {
			return err
		}
		return Record(ctx, tx, by.ID, ActionPasswordReset, TargetOperator, id, nil)
	})
	if err != nil {
		return Operator{}, "", err
	}
	return o, temp, account.ThrottleClear(ctx, s.db, throttleKey(o.Login))
}

// ResetFactor removes the operator's second factor and recovery codes (a lost phone):
// the operator's sessions end and the next sign-in enrols a new factor. A lock-out of the
// code step is lifted too.
func (s *Service) ResetFactor(ctx context.Context, by Operator, id int64) (Operator, error) {
	var o Operator
	err := s.managed(ctx, by, id, func(tx pgx.Tx, target Operator) error {
		if err := clearFactor(ctx, tx, id); err != nil {
			return err
		}
		o = target
		return Record(ctx, tx, by.ID, ActionFactorReset, TargetOperator, id, nil)
	})
	if err != nil {
		return Operator{}, err
	}
	if err := account.ThrottleClear(ctx, s.db, codeThrottleKey(o.Login)); err != nil {
		return Operator{}, err
	}
	return ByID(ctx, s.db, id)
}

// ChangePassword is the operator's own password change (forced after a temporary
// password): current must be right, the new one is stored, every session of the operator
// ends, and the returned Operator carries the session version to keep the current
// session with. Wrong current passwords are counted apart from sign-in failures (a
// session left open must not let anyone guess the password, nor lock its owner out of
// signing in); at the limit the answer is *account.LockedError.
func (s *Service) ChangePassword(ctx context.Context, o Operator, current, newPlain string) (Operator, error) {
	key := fmt.Sprintf("operator-password-change:%d", o.ID)
	until, err := account.ThrottleLockedUntil(ctx, s.db, key)
	if err != nil {
		return Operator{}, err
	}
	if !until.IsZero() {
		return Operator{}, &account.LockedError{Until: until}
	}
	cur, err := ByID(ctx, s.db, o.ID)
	if err != nil {
		return Operator{}, err
	}
	if !cur.CheckPassword(current) {
		until, err := account.ThrottleFailure(ctx, s.db, key)
		if err != nil {
			return Operator{}, err
		}
		if !until.IsZero() {
			return Operator{}, &account.LockedError{Until: until}
		}
		return Operator{}, ErrWrongPassword
	}
	hash, err := password.Hash(newPlain)
	if err != nil {
		return Operator{}, err
	}
	err = database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		if o, err = setPassword(ctx, tx, cur.ID, hash, false); err != nil {
			return err
		}
		return Record(ctx, tx, cur.ID, ActionPasswordChange, TargetOperator, cur.ID, nil)
	})
	if err != nil {
		return Operator{}, err
	}
	return o, account.ThrottleClear(ctx, s.db, key)
}

// temporaryAlphabet has no look-alikes (0/O, 1/l/I), since the password is read out or
// copied by hand.
const temporaryAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// TemporaryPassword draws a 14-character password (≈ 80 bits) that meets the portal's
// password rules: letters and digits both present.
func TemporaryPassword() (string, error) {
	// Bytes at or above the largest multiple of the alphabet's size are drawn again, so
	// every character is equally likely.
	limit := byte(256 / len(temporaryAlphabet) * len(temporaryAlphabet))
	for {
		var b strings.Builder
		buf := make([]byte, 1)
		for b.Len() < 14 {
			if _, err := rand.Read(buf); err != nil {
				return "", fmt.Errorf("operator: temporary password: %w", err)
			}
			if buf[0] < limit {
				b.WriteByte(temporaryAlphabet[int(buf[0])%len(temporaryAlphabet)])
			}
		}
		p := b.String()
		if strings.ContainsAny(p, "23456789") && strings.Trim(p, "23456789") != "" {
			return p, nil
		}
	}
}
