package web

import (
	"errors"
	"fmt"
	"net/http"

	"portal/internal/cardreader"
)

// The card reader's place on マイページ: its status, reference, readers and history, and
// whether it can still be changed.
func init() {
	mypageSectionProviders[1] = func(s *Server, r *http.Request, p *signedIn) (mypageSection, error) {
		ctx := r.Context()
		sec := mypageSection{Href: "/cardreader", Status: "未申請"}
		apps, err := cardreader.ListForFacility(ctx, s.db, p.Facility.ID)
		if err != nil || len(apps) == 0 {
			return sec, err
		}
		app := apps[0]
		catalog, err := cardreader.Catalog(ctx, s.db)
		if err != nil {
			return sec, err
		}
		sec.Status = app.Status
		sec.Done = app.Status != cardreader.StatusCancelled
		sec.Note = "受付番号 " + app.Reference
		if app.DeliveryDate != nil {
			sec.Note += "　配送予定日 " + app.DeliveryDate.Format("2006年1月2日")
		}
		if app.Changeable() {
			sec.Note += "（配送予定日が決まるまで変更・取消ができます）"
		}
		if app.Status != cardreader.StatusCancelled {
			sec.Details = append(sec.Details, summarize(app.Input, p.Facility, catalog).Readers...)
		}
		for _, a := range apps {
			events, err := cardreader.History(ctx, s.db, a.ID)
			if err != nil && !errors.Is(err, cardreader.ErrNotFound) {
				return sec, err
			}
			for _, e := range events {
				line := fmt.Sprintf("%s %s（%s）", e.At.In(jst).Format("2006/01/02 15:04"), e.Action, a.Reference)
				if e.Detail != "" && e.Action != "配送予定日決定" {
					line += " " + e.Detail
				}
				sec.Details = append(sec.Details, line)
			}
		}
		return sec, nil
	}
}
