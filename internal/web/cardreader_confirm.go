package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/cardreader"
	"portal/internal/database"
	"portal/internal/mail"
	"portal/internal/pref"
)

// cardReaderSummary is an application as the confirm, completion and マイページ pages show it.
type cardReaderSummary struct {
	Intro       string
	OnlineClaim string
	EMR         string
	Dispensing  string
	Pharmacy    bool
	Readers     []string // 「メーカー／製品 N台」
	Total       int
	Delivery    string // the delivery change, or the default address
	Changed     bool
	Cancels     bool
}

func yearMonth(y, m int) string {
	if y == 0 {
		return ""
	}
	return fmt.Sprintf("%d年%d月（%s）", y, m, wareki(y, m))
}

// wareki is the 和暦 shown beside a 西暦 year-month.
func wareki(y, m int) string {
	switch {
	case y > 2019 || (y == 2019 && m >= 5):
		if y == 2019 {
			return "令和元年"
		}
		return fmt.Sprintf("令和%d年", y-2018)
	case y > 1989:
		return fmt.Sprintf("平成%d年", y-1988)
	default:
		return "平成元年"
	}
}

func answer(a string, y, m int) string {
	if a == "" {
		return "（未回答）"
	}
	if a == cardreader.Planned && y != 0 {
		return a + "　導入予定：" + yearMonth(y, m)
	}
	return a
}

func summarize(in cardreader.Input, f account.Facility, catalog []cardreader.Model) cardReaderSummary {
	s := cardReaderSummary{
		Intro:       yearMonth(in.IntroYear, in.IntroMonth),
		OnlineClaim: answer(in.OnlineClaim, in.OnlineClaimYear, in.OnlineClaimMonth),
		EMR:         answer(in.EMR, in.EMRYear, in.EMRMonth),
		Dispensing:  answer(in.Dispensing, in.DispensingYear, in.DispensingMonth),
		Pharmacy:    cardreader.IsPharmacy(f),
		Cancels:     in.Cancels(),
	}
	for _, it := range in.Items {
		if !it.Used() {
			continue
		}
		label := "#" + strconv.FormatInt(it.ModelID, 10)
		for _, m := range catalog {
			if m.ID == it.ModelID {
				label = m.Label()
			}
		}
		s.Readers = append(s.Readers, fmt.Sprintf("%s　%d台", label, it.Quantity))
		s.Total += it.Quantity
	}
	if d := in.Delivery; d.Change {
		s.Changed = true
		postal := d.Postal // validated as 7 digits; a stored record is not sliced blindly
		if len(postal) == 7 {
			postal = postal[:3] + "-" + postal[3:]
		}
		s.Delivery = fmt.Sprintf("〒%s %s%s %s／%s／電話 %s／担当 %s", postal, pref.Name(d.PrefectureCode),
			d.Address, d.Building, d.Name, d.Phone, d.Contact)
	} else {
		s.Delivery = fmt.Sprintf("〒%s %s%s（支払基金に届出された医療機関所在地）", f.PostalCode, "", f.Address)
	}
	return s
}

// cardReaderConfirmPage is the confirm page.
type cardReaderConfirmPage struct {
	Base
	Facility account.Facility
	Summary  cardReaderSummary
	Nonce    string
	Existing bool
}

// cardReaderConfirmShow shows what waits to be confirmed.
func (s *Server) cardReaderConfirmShow(w http.ResponseWriter, r *http.Request) {
	p := currentUser(r)
	f, ok := s.pendingCardReader(r)
	if !ok {
		http.Redirect(w, r, "/cardreader", http.StatusSeeOther)
		return
	}
	catalog, err := cardreader.Catalog(r.Context(), s.db)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	_, err = cardreader.ForFacility(r.Context(), s.db, p.Facility.ID)
	if err != nil && !errors.Is(err, cardreader.ErrNotFound) {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "cardreader_confirm", &cardReaderConfirmPage{Facility: p.Facility,
		Summary: summarize(f.input(), p.Facility, catalog), Nonce: s.sessions.GetString(r.Context(), sessCardReaderNonce),
		Existing: err == nil})
}

// cardReaderConfirmSubmit is 「上記の内容で確定する」: the application, its history and its
// mail in one transaction. The nonce is single-use, so a resubmitted confirm page lands on
// the completion page instead of submitting again.
func (s *Server) cardReaderConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	p := currentUser(r)
	ctx := r.Context()
	want := s.sessions.GetString(ctx, sessCardReaderNonce)
	f, ok := s.pendingCardReader(r)
	if !ok || want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(r.PostForm.Get("nonce"))) != 1 {
		if s.sessions.Exists(ctx, sessCardReaderDone) {
			http.Redirect(w, r, "/cardreader/complete", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/cardreader", http.StatusSeeOther)
		return
	}
	catalog, err := cardreader.Catalog(ctx, s.db)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	in := f.input()
	var (
		app     cardreader.Application
		outcome cardreader.Outcome
	)
	err = database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		// The rules again, inside the transaction: the catalog or the application may have
		// changed since the input page.
		_, exErr := cardreader.ForFacility(ctx, tx, p.Facility.ID)
		if errs := cardreader.Validate(in, p.Facility, catalog, exErr == nil, cardReaderNow()); !errs.Valid() {
			return errCardReaderInvalid
		}
		app, outcome, err = cardreader.Submit(ctx, tx, p.Facility.ID, p.Account.ID, in)
		if err != nil {
			return err
		}
		return s.mailCardReaderOutcome(ctx, tx, p, app, outcome)
	})
	switch {
	case errors.Is(err, errCardReaderInvalid):
		http.Redirect(w, r, "/cardreader?back=1", http.StatusSeeOther)
		return
	case errors.Is(err, cardreader.ErrLocked):
		s.sessions.Remove(ctx, sessCardReaderPending)
		s.sessions.Put(ctx, "flash", "配送予定日が決定しているため、申込内容の変更・取消はできません。コールセンターへお問い合わせください。")
		http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		return
	case errors.Is(err, cardreader.ErrNothingToCancel):
		http.Redirect(w, r, "/cardreader?back=1", http.StatusSeeOther)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.sessions.Remove(ctx, sessCardReaderPending)
	s.sessions.Remove(ctx, sessCardReaderNonce)
	s.sessions.Put(ctx, sessCardReaderDone, app.Reference+"|"+strconv.Itoa(int(outcome)))
	http.Redirect(w, r, "/cardreader/complete", http.StatusSeeOther)
}

var errCardReaderInvalid = errors.New("web: card reader input no longer valid")

// mailCardReaderOutcome queues the mail of what Submit did, in its transaction.
func (s *Server) mailCardReaderOutcome(ctx context.Context, tx pgx.Tx, p *signedIn, app cardreader.Application, outcome cardreader.Outcome) error {
	name := p.Account.FacilityName
	switch outcome {
	case cardreader.Created:
		return mail.Enqueue(ctx, tx, p.Account.Email, "cardreader_applied",
			mail.CardReaderApplied{FacilityName: name, ReferenceNumber: app.Reference, BaseURL: s.cfg.BaseURL})
	case cardreader.Changed:
		return mail.Enqueue(ctx, tx, p.Account.Email, "cardreader_changed",
			mail.CardReaderChanged{FacilityName: name, ReferenceNumber: app.Reference, BaseURL: s.cfg.BaseURL})
	case cardreader.Cancelled:
		return mail.Enqueue(ctx, tx, p.Account.Email, "cardreader_cancelled",
			mail.CardReaderChanged{FacilityName: name, ReferenceNumber: app.Reference, BaseURL: s.cfg.BaseURL})
	}
	return nil
}
