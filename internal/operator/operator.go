// Package operator holds the call-center staff who use the back office (/admin): operators
// (オペレーター) and supervisors (スーパーバイザー), their sign-in with the portal's lock-out,
// and the audit trail (操作履歴) of what they do. It knows nothing of HTTP.
package operator

import (
	"errors"
	"time"

	"portal/internal/password"
)

// Sentinel errors of the package.
var (
	// ErrNotFound means no such operator.
	ErrNotFound = errors.New("operator: not found")
	// ErrLoginTaken means another operator already has the login.
	ErrLoginTaken = errors.New("operator: login already taken")
	// ErrInvalidCredentials is the one answer for an unknown login and a wrong password.
	ErrInvalidCredentials = errors.New("operator: invalid login or password")
	// ErrDisabled means the operator's account was disabled by a supervisor (利用停止).
	ErrDisabled = errors.New("operator: account disabled")
)

// Role is what an operator may do in the back office.
type Role string

// The roles of the operators table.
const (
	// RoleOperator serves callers: search, look up, process applications.
	RoleOperator Role = "operator"
	// RoleSupervisor does all operator work plus imports, batches, broadcasts and accounts.
	RoleSupervisor Role = "supervisor"
)

// Label is the role's Japanese name as the back office shows it.
func (r Role) Label() string {
	switch r {
	case RoleSupervisor:
		return "スーパーバイザー"
	case RoleOperator:
		return "オペレーター"
	}
	return string(r)
}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r == RoleOperator || r == RoleSupervisor }

// Operator is a member of the call center with a back-office login.
type Operator struct {
	ID        int64
	Login     string
	Name      string
	Role      Role
	CreatedAt time.Time
	// SessionVersion is bumped on every password or factor change and on disabling;
	// a session started under an older value has ended.
	SessionVersion int
	// DisabledAt is when a supervisor disabled the account (利用停止); nil while active.
	DisabledAt *time.Time
	// MustChangePassword is set by a temporary password: the back office opens only the
	// password change until a new one is chosen.
	MustChangePassword bool
	PasswordChangedAt  time.Time
	LastSignInAt       *time.Time
	// EnrolledAt is when the second factor (TOTP) was set up; nil until then.
	EnrolledAt *time.Time

	passwordHash string
}

// Active reports whether the operator may sign in (not disabled).
func (o Operator) Active() bool { return o.DisabledAt == nil }

// Enrolled reports whether the operator has a second factor set up.
func (o Operator) Enrolled() bool { return o.EnrolledAt != nil }

// IsSupervisor reports whether the operator holds the supervisor role.
func (o Operator) IsSupervisor() bool { return o.Role == RoleSupervisor }

// CheckPassword reports whether plain is the operator's password; a damaged hash fails.
func (o Operator) CheckPassword(plain string) bool {
	ok, err := password.Verify(o.passwordHash, plain)
	return err == nil && ok
}

// NewOperator is what creating an operator needs; PasswordHash comes from password.Hash.
type NewOperator struct {
	Login        string
	Name         string
	Role         Role
	PasswordHash string
	// MustChangePassword marks the password as temporary (chosen for the operator).
	MustChangePassword bool
}
