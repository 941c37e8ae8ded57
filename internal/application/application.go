// Package application is the kernel every application kind (申請) of the portal plugs into:
// its kind, the 申込番号 it is given, its statuses and their allowed transitions as data,
// its event history with who and when, and the receipt its completion page shows. A kind
// (cardreader, qualification, certificate, …) keeps its own input, rules and table and
// uses this package for the rest, so each new kind is a few small files.
//
// 申込番号 is the portal's own number for an application. It is never called 受付番号:
// that word means only the number a regional bureau (地方厚生(支)局) issues.
package application

import (
	"errors"
	"fmt"
	"slices"

	"portal/internal/account"
	"portal/internal/form"
)

// Actor is who made a step: the facility or a call-center operator.
type Actor string

// The actors of the history.
const (
	ByFacility Actor = "facility"
	ByOperator Actor = "operator"
)

// None is the status of an application that does not exist yet: a transition from None
// creates one.
const None = ""

// Transition is one allowed step: Action, made by By, moves an application whose status
// is one of From to To.
type Transition struct {
	Action string
	By     Actor
	From   []string
	To     string
}

// Kind describes one application kind.
type Kind struct {
	// Code names the kind in the database (application_events.kind) and in URLs.
	Code string
	// Title is the kind's name on pages and mails, e.g. オンライン資格確認利用申請.
	Title string
	// Prefix starts each 申込番号 of the kind, e.g. "CR".
	Prefix string
	// Sequence is the PostgreSQL sequence numbering the kind's 申込番号.
	Sequence string
	// Statuses are the kind's statuses in the order they are reached.
	Statuses []string
	// Transitions are the only steps allowed; everything else is refused.
	Transitions []Transition
}

// Errors of the kernel.
var (
	// ErrNotAllowed means the step does not fit the application's status (or the actor).
	ErrNotAllowed = errors.New("application: not possible in this status")
	// ErrNotFound means no such application (or not one of this facility).
	ErrNotFound = errors.New("application: not found")
)

// Next returns the status action by by leads to from status from, or ErrNotAllowed.
func (k Kind) Next(from, action string, by Actor) (string, error) {
	for _, t := range k.Transitions {
		if t.Action == action && t.By == by && slices.Contains(t.From, from) {
			return t.To, nil
		}
	}
	return "", fmt.Errorf("%w: %s %q by %s from %q", ErrNotAllowed, k.Code, action, by, from)
}

// Can reports whether by may take action from status from.
func (k Kind) Can(from, action string, by Actor) bool {
	_, err := k.Next(from, action, by)
	return err == nil
}

// From returns the statuses action by by may start from (for a guarded UPDATE … WHERE
// status = ANY(…)).
func (k Kind) From(action string, by Actor) []string {
	var out []string
	for _, t := range k.Transitions {
		if t.Action == action && t.By == by {
			out = append(out, t.From...)
		}
	}
	return out
}

// Outcome is what a facility's submit did.
type Outcome int

// What a submit did.
const (
	Created Outcome = iota + 1
	Changed
	Cancelled
	// Unchanged means the input equals the stored application: a double submit or a
	// resubmitted confirm page, which records nothing.
	Unchanged
	// Resubmitted means an application sent back by an operator was corrected and sent again.
	Resubmitted
)

// Receipt is what the completion page shows of a submit.
type Receipt struct {
	// Title is the kind's title.
	Title string
	// Reference is the 申込番号.
	Reference string
	Outcome   Outcome
	// Lines are the kind's own sentences for the completion page (what happens next).
	Lines []string
}

// Applicant is the signed-in facility making a step: its account and its master data.
type Applicant struct {
	Account  account.Account
	Facility account.Facility
}

// InvalidError carries the field errors of an input that fails the rules when it is
// stored (the rules run again inside the transaction: the catalog, the facility or the
// application may have changed since the input page).
type InvalidError struct{ Errors form.Errors }

func (e *InvalidError) Error() string { return "application: input no longer valid" }

// ClosedError means the facility may not take this step now; Message says why and what to
// do, in Japanese, for the page.
type ClosedError struct{ Message string }

func (e *ClosedError) Error() string { return "application: closed: " + e.Message }

// Overview is one kind's place on マイページ.
type Overview struct {
	// Status is 未申請, the application's status, or why the form is not open yet.
	Status string
	// Reference is the 申込番号 of the newest application, if any.
	Reference string
	// State places the kind in the introduction schedule.
	State State
	// Note is an optional line under the status (a date, what may still be done).
	Note string
	// Details are further lines: what was applied for.
	Details []string
	// History is what happened, oldest first.
	History []Event
}

// State is where a kind stands in a facility's introduction schedule.
type State int

// The states of the schedule.
const (
	// Todo: the form is open and nothing has been sent (or it was cancelled, or sent back).
	Todo State = iota
	// Waiting: the form is not open yet (an earlier step must be done first).
	Waiting
	// InProgress: sent; the fund or a maker is working on it.
	InProgress
	// Done: finished (readers shipped, use approved, certificates issued).
	Done
)

// Closure says why a facility's form is closed now, for the page shown instead of it:
// the application's state and what to do.
type Closure struct {
	Lines []string
}
