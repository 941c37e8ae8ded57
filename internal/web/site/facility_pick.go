package site

import (
	"context"
	"errors"

	"portal/internal/form"
	"portal/internal/inquiry"
)

// FacilityPick is the facility a back-office form is about (a phone caller's case, a
// 個別文書): the one ?facility= names, or the ones a search for ?q= found to choose from.
// Pages embed it; their template links each hit back to the form with ?facility=.
type FacilityPick struct {
	// Facility is the chosen facility, nil while none is.
	Facility *inquiry.FacilityHit
	Q        string
	Hits     []inquiry.FacilityHit
	Searched bool
}

// msgFacilityUnknown answers a ?facility= that names no facility.
const msgFacilityUnknown = "指定された医療機関等が見つかりません。検索して選択してください。"

// PickFacility reads the facility id (0 for none) and the search q (ignored when empty or
// over 300 bytes) with svc; an id that names no facility is an error of the field
// "facility" in errs, not a failure.
func PickFacility(ctx context.Context, svc *inquiry.Service, id int64, q string, errs *form.Errors) (FacilityPick, error) {
	var p FacilityPick
	if id != 0 {
		f, err := svc.Facility(ctx, id)
		switch {
		case errors.Is(err, inquiry.ErrNotFound):
			errs.Add("facility", msgFacilityUnknown)
		case err != nil:
			return p, err
		default:
			p.Facility = &f
		}
	}
	if q != "" && len(q) <= 300 {
		p.Q, p.Searched = q, true
		var err error
		if p.Hits, err = svc.SearchFacilities(ctx, q); err != nil {
			return p, err
		}
	}
	return p, nil
}
