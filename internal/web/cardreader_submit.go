package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strconv"

	"portal/internal/cardreader"
	"portal/internal/form"
	"portal/internal/postal"
)

// cardReaderSubmit is 「確認画面へ進む」 (and 【郵便番号から住所検索】 without JavaScript):
// errors come back beside their fields with everything typed kept; a valid input waits in
// the session for the confirm page.
func (s *Server) cardReaderSubmit(w http.ResponseWriter, r *http.Request) {
	p := currentUser(r)
	in := form.NewInput(r.PostForm)
	f := readCardReaderForm(in).forFacility(p.Facility)

	if r.PostForm.Has("postal_lookup") || r.PostForm.Has("postal_pick") {
		s.cardReaderPostalLookup(w, r, f, in.Errors)
		return
	}
	existing := true
	if _, err := cardreader.ForFacility(r.Context(), s.db, p.Facility.ID); err == cardreader.ErrNotFound {
		existing = false
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	catalog, err := cardreader.Catalog(r.Context(), s.db)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	errs := in.Errors
	errs.Merge(cardreader.Validate(f.input(), p.Facility, catalog, existing, cardReaderNow()))
	if !errs.Valid() {
		page, err := s.newCardReaderPage(r, p, f, errs)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "cardreader_form", page)
		return
	}
	s.putPendingCardReader(r, f)
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	s.sessions.Put(r.Context(), sessCardReaderNonce, base64.RawURLEncoding.EncodeToString(nonce))
	http.Redirect(w, r, "/cardreader/confirm", http.StatusSeeOther)
}

// cardReaderPostalLookup fills 都道府県 and 住所 from the postal code by a round trip, for
// browsers without JavaScript; several candidates are offered to choose from.
func (s *Server) cardReaderPostalLookup(w http.ResponseWriter, r *http.Request, f cardReaderForm, errs form.Errors) {
	p := currentUser(r)
	f.DeliveryChange = true
	cands, err := s.postal.Lookup(r.Context(), f.Zip1+f.Zip2)
	var msg string
	switch {
	case err != nil:
		errs.Add("delivery_zip1", postal.MessageInvalidCode)
	case len(cands) == 0:
		msg = postal.MessageNotFound
	case len(cands) == 1 || r.PostForm.Has("postal_pick"):
		i, _ := strconv.Atoi(r.PostForm.Get("postal_pick"))
		if i < 0 || i >= len(cands) {
			i = 0
		}
		f.Pref, f.Address = strconv.Itoa(cands[i].PrefectureCode), cands[i].Line()
		cands = nil
		msg = "住所を入力しました。番地、ビル・マンション名を続けて入力してください。"
	default:
		msg = "該当する住所が複数あります。選択してください。"
	}
	page, perr := s.newCardReaderPage(r, p, f, errs)
	if perr != nil {
		s.serverError(w, r, perr)
		return
	}
	page.Candidates, page.PostalMessage = cands, msg
	status := http.StatusOK
	if !errs.Valid() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "cardreader_form", page)
}
