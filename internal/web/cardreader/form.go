package cardreader

import (
	"strconv"

	"portal/internal/account"
	"portal/internal/cardreader"
	"portal/internal/form"
)

// Form is the 顔認証付きカードリーダー申込 form as typed: strings, so whatever was
// typed comes back unchanged beside its error.
type Form struct {
	IntroYear, IntroMonth                           string
	OnlineClaim, OnlineClaimYear, OnlineClaimMonth  string
	EMR, EMRYear, EMRMonth                          string
	Dispensing, DispensingYear, DispensingMonth     string
	Model, Qty                                      [cardreader.Slots]string
	DeliveryChange                                  bool
	Zip1, Zip2, Pref                                string
	Address, Building, DeliveryName, Phone, Contact string
}

func readForm(in *form.Input) Form {
	f := Form{
		IntroYear: in.Digits(cardreader.FieldIntroYear), IntroMonth: in.Digits(cardreader.FieldIntroMonth),
		OnlineClaim: in.Text(cardreader.FieldOnlineClaim), OnlineClaimYear: in.Digits(cardreader.FieldOnlineClaimYear),
		OnlineClaimMonth: in.Digits(cardreader.FieldOnlineClaimMonth),
		EMR:              in.Text(cardreader.FieldEMR), EMRYear: in.Digits(cardreader.FieldEMRYear), EMRMonth: in.Digits(cardreader.FieldEMRMonth),
		Dispensing: in.Text(cardreader.FieldDispensing), DispensingYear: in.Digits(cardreader.FieldDispensingYear),
		DispensingMonth: in.Digits(cardreader.FieldDispensingMonth),
		DeliveryChange:  in.Bool("delivery_change"),
		Zip1:            in.Digits("delivery_zip1"), Zip2: in.Digits("delivery_zip2"), Pref: in.Digits(cardreader.FieldDeliveryPref),
		Address: in.Text(cardreader.FieldDeliveryAddress), Building: in.Text(cardreader.FieldDeliveryBuilding),
		DeliveryName: in.Text(cardreader.FieldDeliveryName), Phone: in.Phone(cardreader.FieldDeliveryPhone),
		Contact: in.Text(cardreader.FieldDeliveryContact),
	}
	for i := range cardreader.Slots {
		f.Model[i] = in.Digits(cardreader.FieldModel(i + 1))
		f.Qty[i] = in.Digits(cardreader.FieldQuantity(i + 1))
	}
	return f
}

// number reads a typed number; empty is 0 (not given) and anything unreadable is -1, which
// every rule refuses.
func number(s string) int {
	if s == "" {
		return 0
	}
	n, ok := form.Integer(s)
	if !ok {
		return -1
	}
	return n
}

// input turns the typed form into the domain's input.
func (f Form) input() cardreader.Input {
	in := cardreader.Input{
		Survey: cardreader.Survey{
			IntroYear: number(f.IntroYear), IntroMonth: number(f.IntroMonth),
			OnlineClaim: f.OnlineClaim, OnlineClaimYear: number(f.OnlineClaimYear), OnlineClaimMonth: number(f.OnlineClaimMonth),
			EMR: f.EMR, EMRYear: number(f.EMRYear), EMRMonth: number(f.EMRMonth),
			Dispensing: f.Dispensing, DispensingYear: number(f.DispensingYear), DispensingMonth: number(f.DispensingMonth),
		},
	}
	for i := range cardreader.Slots {
		in.Items[i] = cardreader.Item{ModelID: int64(number(f.Model[i])), Quantity: number(f.Qty[i])}
	}
	// Years and months only count where the answer asks for them, and the delivery fields
	// only when a change is asked for, so stale values of a hidden part are not stored.
	s := &in.Survey
	if s.OnlineClaim != cardreader.Planned {
		s.OnlineClaimYear, s.OnlineClaimMonth = 0, 0
	}
	if s.EMR != cardreader.Planned {
		s.EMRYear, s.EMRMonth = 0, 0
	}
	if s.Dispensing != cardreader.Planned {
		s.DispensingYear, s.DispensingMonth = 0, 0
	}
	if f.DeliveryChange {
		in.Delivery = cardreader.Delivery{Change: true, Postal: f.Zip1 + f.Zip2, PrefectureCode: number(f.Pref),
			Address: f.Address, Building: f.Building, Name: f.DeliveryName, Phone: f.Phone, Contact: f.Contact}
	}
	return in
}

// forFacility drops the answer a facility of this kind is not asked.
func (f Form) forFacility(fac account.Facility) Form {
	if cardreader.IsPharmacy(fac) {
		f.EMR, f.EMRYear, f.EMRMonth = "", "", ""
	} else {
		f.Dispensing, f.DispensingYear, f.DispensingMonth = "", "", ""
	}
	return f
}

// formFromApplication shows a stored application in the form.
func formFromApplication(a cardreader.Application) Form {
	s, d := a.Input.Survey, a.Input.Delivery
	str := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	f := Form{
		IntroYear: str(s.IntroYear), IntroMonth: str(s.IntroMonth),
		OnlineClaim: s.OnlineClaim, OnlineClaimYear: str(s.OnlineClaimYear), OnlineClaimMonth: str(s.OnlineClaimMonth),
		EMR: s.EMR, EMRYear: str(s.EMRYear), EMRMonth: str(s.EMRMonth),
		Dispensing: s.Dispensing, DispensingYear: str(s.DispensingYear), DispensingMonth: str(s.DispensingMonth),
		DeliveryChange: d.Change, Pref: str(d.PrefectureCode), Address: d.Address, Building: d.Building,
		DeliveryName: d.Name, Phone: d.Phone, Contact: d.Contact,
	}
	if len(d.Postal) == 7 {
		f.Zip1, f.Zip2 = d.Postal[:3], d.Postal[3:]
	}
	for i, it := range a.Input.Items {
		if it.Used() {
			f.Model[i], f.Qty[i] = strconv.FormatInt(it.ModelID, 10), strconv.Itoa(it.Quantity)
		}
	}
	return f
}
