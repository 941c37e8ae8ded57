package cardreader

import (
	"testing"
	"time"

	"portal/internal/account"
)

var (
	testNow     = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	testCatalog = []Model{{1, "富士通Japan", "Caora", false}, {2, "パナソニック コネクト", "XC-STFR1J", false}, {3, "アルメックス", "マイナタッチ", false}, {4, "富士通Japan", "Caora2", false}}
	clinic      = account.Facility{Kind: "診療所", ScoreTableCode: 1}
	hospital    = account.Facility{Kind: "病院", ScoreTableCode: 1}
	dentalHosp  = account.Facility{Kind: "病院", ScoreTableCode: 3, DentalHospitalWithMedical: true}
	pharmacy    = account.Facility{Kind: "薬局", ScoreTableCode: 4}
)

func validInput() Input {
	return Input{
		Survey: Survey{IntroYear: 2027, IntroMonth: 4, OnlineClaim: Introduced, EMR: NotPlanned},
		Items:  [Slots]Item{{ModelID: 1, Quantity: 1}},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name     string
		facility account.Facility
		existing bool
		edit     func(*Input)
		field    string // "" means valid
	}{
		{"valid clinic", clinic, false, func(*Input) {}, ""},
		{"intro time required", clinic, false, func(in *Input) { in.IntroYear, in.IntroMonth = 0, 0 }, FieldIntroYear},
		{"year must be 4 digits", clinic, false, func(in *Input) { in.IntroYear = 27 }, FieldIntroYear},
		{"year in range", clinic, false, func(in *Input) { in.IntroYear = 2019 }, FieldIntroYear},
		{"month 1-12", clinic, false, func(in *Input) { in.IntroMonth = 13 }, FieldIntroMonth},
		{"online claim required", clinic, false, func(in *Input) { in.OnlineClaim = "" }, FieldOnlineClaim},
		{"online claim unknown answer", clinic, false, func(in *Input) { in.OnlineClaim = "たぶん" }, FieldOnlineClaim},
		{"planned needs year", clinic, false, func(in *Input) { in.OnlineClaim = Planned }, FieldOnlineClaimYear},
		{"planned with year month", clinic, false, func(in *Input) { in.OnlineClaim, in.OnlineClaimYear, in.OnlineClaimMonth = Planned, 2027, 1 }, ""},
		{"emr planned needs year", clinic, false, func(in *Input) { in.EMR = Planned }, FieldEMRYear},
		{"emr optional", clinic, false, func(in *Input) { in.EMR = "" }, ""},
		{"pharmacy answers dispensing", pharmacy, false, func(in *Input) { in.EMR = ""; in.Dispensing = Planned }, FieldDispensingYear},
		{"pharmacy ignores emr", pharmacy, false, func(in *Input) { in.EMR = Planned }, ""},
		{"no reader on new application", clinic, false, func(in *Input) { in.Items[0] = Item{} }, FieldModel(1)},
		{"all --- on existing cancels", clinic, true, func(in *Input) { in.Items[0] = Item{} }, ""},
		{"model without quantity", clinic, false, func(in *Input) { in.Items[0].Quantity = 0 }, FieldQuantity(1)},
		{"quantity without model", clinic, false, func(in *Input) { in.Items[0].ModelID = 0 }, FieldModel(1)},
		{"unknown model", clinic, false, func(in *Input) { in.Items[0].ModelID = 99 }, FieldModel(1)},
		{"quantity over 3", hospital, false, func(in *Input) { in.Items[0].Quantity = 4 }, FieldQuantity(1)},
		{"clinic limit 1", clinic, false, func(in *Input) { in.Items[0].Quantity = 2 }, FieldQuantity(1)},
		{"pharmacy limit 1", pharmacy, false, func(in *Input) { in.EMR = ""; in.Items[0].Quantity = 2 }, FieldQuantity(1)},
		{"dental hospital limit 1", dentalHosp, false, func(in *Input) { in.Items[0].Quantity = 2 }, FieldQuantity(1)},
		{"hospital 3 from 3 makers", hospital, false, func(in *Input) {
			in.Items = [Slots]Item{{1, 1}, {2, 1}, {3, 1}}
		}, ""},
		{"hospital 3 from 2 makers", hospital, false, func(in *Input) { in.Items = [Slots]Item{{1, 2}, {2, 1}} }, ""},
		{"hospital over 3 in total", hospital, false, func(in *Input) { in.Items = [Slots]Item{{1, 2}, {2, 2}} }, FieldQuantity(1)},
		{"slot 2 same maker", hospital, false, func(in *Input) { in.Items = [Slots]Item{{1, 1}, {4, 1}} }, FieldModel(2)},
		{"slot 2 without slot 1", hospital, false, func(in *Input) { in.Items = [Slots]Item{{}, {2, 1}} }, FieldModel(2)},
		{"delivery change needs zip", clinic, false, func(in *Input) {
			in.Delivery = Delivery{Change: true, PrefectureCode: 13, Address: "千代田区", Name: "本院", Phone: "03-1111-2222", Contact: "山田"}
		}, FieldDeliveryZip},
		{"delivery change needs phone format", clinic, false, func(in *Input) {
			in.Delivery = Delivery{Change: true, Postal: "1000013", PrefectureCode: 13, Address: "千代田区", Name: "本院", Phone: "0311112222", Contact: "山田"}
		}, FieldDeliveryPhone},
		{"delivery change needs contact", clinic, false, func(in *Input) {
			in.Delivery = Delivery{Change: true, Postal: "1000013", PrefectureCode: 13, Address: "千代田区", Name: "本院", Phone: "03-1111-2222"}
		}, FieldDeliveryContact},
		{"delivery change complete", clinic, false, func(in *Input) {
			in.Delivery = Delivery{Change: true, Postal: "1000013", PrefectureCode: 13, Address: "千代田区霞が関1-2-2", Name: "本院", Phone: "03-1111-2222", Contact: "山田"}
		}, ""},
		{"delivery fields ignored without change", clinic, false, func(in *Input) { in.Delivery = Delivery{Phone: "x"} }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput()
			tc.edit(&in)
			errs := Validate(in, tc.facility, testCatalog, tc.existing, testNow)
			if tc.field == "" {
				if !errs.Valid() {
					t.Fatalf("want valid, got %v", errs)
				}
				return
			}
			if !errs.Has(tc.field) {
				t.Fatalf("want an error on %s, got %v", tc.field, errs)
			}
		})
	}
}

func TestMaxReaders(t *testing.T) {
	for f, want := range map[*account.Facility]int{&clinic: 1, &hospital: 3, &dentalHosp: 1, &pharmacy: 1} {
		if got := MaxReaders(*f); got != want {
			t.Errorf("%s: %d, want %d", f.Kind, got, want)
		}
	}
}
