package application_test

import (
	"errors"
	"testing"

	"portal/internal/application"
	"portal/internal/cardreader"
	"portal/internal/certificate"
	"portal/internal/qualification"
)

// TestEveryTransition walks every kind × status × action × actor and checks the kind's
// table allows exactly the steps listed here and refuses all others.
func TestEveryTransition(t *testing.T) {
	t.Parallel()
	f, o := application.ByFacility, application.ByOperator
	type step struct {
		from, action string
		by           application.Actor
		to           string
	}
	allowed := map[string][]step{
		cardreader.Kind.Code: {
			{application.None, cardreader.ActionApply, f, cardreader.StatusReceived},
			{cardreader.StatusReceived, cardreader.ActionChange, f, cardreader.StatusReceived},
			{cardreader.StatusReceived, cardreader.ActionCancel, f, cardreader.StatusCancelled},
			{cardreader.StatusReceived, cardreader.ActionSchedule, o, cardreader.StatusScheduled},
			{cardreader.StatusScheduled, cardreader.ActionCorrect, o, cardreader.StatusScheduled},
			{cardreader.StatusScheduled, cardreader.ActionShip, o, cardreader.StatusShipped},
		},
		qualification.Kind.Code: {
			{application.None, qualification.ActionApply, f, qualification.StatusSubmitted},
			{qualification.StatusSubmitted, qualification.ActionChange, f, qualification.StatusSubmitted},
			{qualification.StatusReturned, qualification.ActionResubmit, f, qualification.StatusSubmitted},
			{qualification.StatusSubmitted, qualification.ActionApprove, o, qualification.StatusApproved},
			{qualification.StatusSubmitted, qualification.ActionReturn, o, qualification.StatusReturned},
		},
		certificate.Kind.Code: {
			{application.None, certificate.ActionApply, f, certificate.StatusRequested},
			{certificate.StatusRequested, certificate.ActionCancel, f, certificate.StatusCancelled},
			{certificate.StatusRequested, certificate.ActionIssue, o, certificate.StatusIssued},
			{certificate.StatusIssued, certificate.ActionRequestRevoke, f, certificate.StatusRevokeRequested},
			{certificate.StatusIssued, certificate.ActionRevoke, o, certificate.StatusRevoked},
			{certificate.StatusRevokeRequested, certificate.ActionRevoke, o, certificate.StatusRevoked},
		},
	}
	for _, k := range []application.Kind{cardreader.Kind, qualification.Kind, certificate.Kind} {
		actions := map[string]bool{}
		for _, tr := range k.Transitions {
			actions[tr.Action] = true
		}
		checked := 0
		for _, from := range append([]string{application.None}, k.Statuses...) {
			for action := range actions {
				for _, by := range []application.Actor{f, o} {
					want := ""
					for _, s := range allowed[k.Code] {
						if s.from == from && s.action == action && s.by == by {
							want = s.to
						}
					}
					got, err := k.Next(from, action, by)
					switch {
					case want == "" && !errors.Is(err, application.ErrNotAllowed):
						t.Errorf("%s: %q by %s from %q allowed (→ %q), want refused", k.Code, action, by, from, got)
					case want != "" && (err != nil || got != want):
						t.Errorf("%s: %q by %s from %q = %q, %v; want %q", k.Code, action, by, from, got, err, want)
					}
					if k.Can(from, action, by) != (want != "") {
						t.Errorf("%s: Can(%q, %q, %s) disagrees with Next", k.Code, from, action, by)
					}
					checked++
				}
			}
		}
		if checked < 20 {
			t.Errorf("%s: only %d combinations checked", k.Code, checked)
		}
	}
}
