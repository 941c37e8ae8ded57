package qualification_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"portal/internal/application"
	"portal/internal/jp"
	"portal/internal/listing"
	"portal/internal/pref"
	"portal/internal/qualification"
	"portal/internal/testdb"
	"portal/internal/testfixture"
)

// TestListFiltersAndPages: seven applications, filtered by kind and status and paged three
// at a time from both ends through the SQL of application.List.
func TestListFiltersAndPages(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	svc := qualification.NewService(db, "http://portal.test")
	svc.Now = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, jp.Zone) }
	for i := range 7 {
		kind := pref.KindClinic
		if i%2 == 0 {
			kind = pref.KindHospital
		}
		ap := testfixture.Facility(t, db, fmt.Sprintf("60000%02d", i), kind)
		if _, err := svc.Submit(ctx, ap, input()); err != nil {
			t.Fatal(err)
		}
	}
	all := func(f application.Filter) (refs []string) {
		req := application.ListRequest{Filter: f, Request: listing.Request{Limit: 3}}
		for {
			p, err := svc.List(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range p.Rows {
				refs = append(refs, r.Reference)
			}
			if p.Older == nil {
				return refs
			}
			req.Request = listing.Request{Limit: 3, After: p.Older}
		}
	}
	if got := all(application.Filter{}); len(got) != 7 || got[0] != "QA261201-000007" || got[6] != "QA261201-000001" {
		t.Errorf("all, newest first: %v", got)
	}
	if got := all(application.Filter{FacilityKind: pref.KindHospital}); len(got) != 4 {
		t.Errorf("hospitals: %v", got)
	}
	if got := all(application.Filter{Status: qualification.StatusApproved}); len(got) != 0 {
		t.Errorf("approved: %v", got)
	}
	last, err := svc.List(ctx, application.ListRequest{Request: listing.Request{Limit: 3, Last: true}})
	if err != nil || len(last.Rows) != 3 || last.Rows[2].Reference != "QA261201-000001" || last.Older != nil || last.Newer == nil || last.Count != 7 {
		t.Errorf("last page: %+v %v", last, err)
	}
	// submitted_at is the database's clock: today in JST holds all seven, tomorrow none.
	if got := all(application.Filter{From: jp.Today(), To: jp.Today()}); len(got) != 7 {
		t.Errorf("today: %v", got)
	}
	if got := all(application.Filter{From: jp.Today().AddDate(0, 0, 1)}); len(got) != 0 {
		t.Errorf("from tomorrow: %v", got)
	}
}
