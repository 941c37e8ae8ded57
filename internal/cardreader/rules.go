package cardreader

import (
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"portal/internal/account"
	"portal/internal/form"
	"portal/internal/jp"
)

// Field names, shared with the form's HTML names and ids.
const (
	FieldIntroYear        = "intro_year"
	FieldIntroMonth       = "intro_month"
	FieldOnlineClaim      = "online_claim"
	FieldOnlineClaimYear  = "online_claim_year"
	FieldOnlineClaimMonth = "online_claim_month"
	FieldEMR              = "emr"
	FieldEMRYear          = "emr_year"
	FieldEMRMonth         = "emr_month"
	FieldDispensing       = "dispensing"
	FieldDispensingYear   = "dispensing_year"
	FieldDispensingMonth  = "dispensing_month"
	FieldDeliveryZip      = "delivery_zip1"
	FieldDeliveryPref     = "delivery_pref"
	FieldDeliveryAddress  = "delivery_address"
	FieldDeliveryBuilding = "delivery_building"
	FieldDeliveryName     = "delivery_name"
	FieldDeliveryPhone    = "delivery_phone"
	FieldDeliveryContact  = "delivery_contact"
)

// FieldModel and FieldQuantity name slot i's (1-based) selects.
func FieldModel(i int) string    { return fmt.Sprintf("model%d", i) }
func FieldQuantity(i int) string { return fmt.Sprintf("qty%d", i) }

// Messages beside the fields. The real portal has one message for the whole page; these say
// what is wrong and how to fix it.
const (
	msgYear           = "年は半角数字4桁（西暦）で入力してください。"
	msgYearRange      = "年は%d年から%d年までの範囲で入力してください。"
	msgMonth          = "月は1～12の数字で入力してください。"
	msgIntroRequired  = "オンライン資格確認導入（予定）時期を入力してください。"
	msgChooseFmt      = "%sについて、いずれかを選択してください。"
	msgPlannedYM      = "未導入（導入予定あり）を選択された場合は導入予定の年月を入力してください。"
	msgQuantity       = "台数を選択してください。"
	msgModel          = "メーカー名／製品名（型番）を選択してください。"
	msgUnknownModel   = "選択されたカードリーダーは申込できません。一覧から選択し直してください。"
	msgSameMaker      = "カードリーダー2・3は別のメーカーを申し込む場合のみ選択してください。"
	msgSlotOrder      = "カードリーダー1から順に選択してください。"
	msgNone           = "申込みカードリーダーのメーカー名／製品名（型番）と台数を選択してください。"
	msgLimitHospital  = "病院は合計3台までです。台数を見直してください。"
	msgLimitOne       = "診療所、薬局は1台のみとなります。台数を見直してください。"
	msgLimitDental    = "「医科の医療機関」と併設されている「歯科の医療機関（病院）」は1台のみ選択してください。"
	msgZip            = "郵便番号は半角数字3桁及び4桁で入力してください。"
	msgPref           = "都道府県を選択してください。"
	msgAddress        = "住所(市区町村、番地)を入力してください。"
	msgName           = "変更送付先の名称(あて名)を入力してください。"
	msgPhone          = "すべて半角で「数字-数字-数字」の形式で入力してください。"
	msgContact        = "変更送付先担当者名を入力してください。"
	msgTooLongFmt     = "%d文字以下で入力してください。"
	maxText           = 200
	earliestIntroYear = 2020
)

// Validate checks in for facility f against the catalog; existing tells whether the facility
// already has an application (then all 「---」 means cancel, which is valid). It returns the
// message for each wrong field, keyed by the form's field names.
func Validate(in Input, f account.Facility, catalog []Model, existing bool, now time.Time) form.Errors {
	var errs form.Errors
	lastYear := now.Year() + 10
	yearMonth := func(year, month int, yField, mField string, required bool, requiredMsg string) {
		if year == 0 && month == 0 {
			if required {
				errs.Add(yField, requiredMsg)
			}
			return
		}
		switch {
		case year < 1000 || year > 9999:
			errs.Add(yField, msgYear)
		case year < earliestIntroYear || year > lastYear:
			errs.Add(yField, fmt.Sprintf(msgYearRange, earliestIntroYear, lastYear))
		}
		if month < 1 || month > 12 {
			errs.Add(mField, msgMonth)
		}
	}
	choice := func(v, field, label string, required bool) {
		if (v == "" && required) || (v != "" && !slices.Contains(Choices, v)) {
			errs.Add(field, fmt.Sprintf(msgChooseFmt, label))
		}
	}

	s := in.Survey
	yearMonth(s.IntroYear, s.IntroMonth, FieldIntroYear, FieldIntroMonth, true, msgIntroRequired)
	choice(s.OnlineClaim, FieldOnlineClaim, "レセプトのオンライン請求", true)
	yearMonth(s.OnlineClaimYear, s.OnlineClaimMonth, FieldOnlineClaimYear, FieldOnlineClaimMonth, s.OnlineClaim == Planned, msgPlannedYM)
	if IsPharmacy(f) {
		choice(s.Dispensing, FieldDispensing, "調剤システムの導入", false)
		yearMonth(s.DispensingYear, s.DispensingMonth, FieldDispensingYear, FieldDispensingMonth, s.Dispensing == Planned, msgPlannedYM)
	} else {
		choice(s.EMR, FieldEMR, "電子カルテシステムの導入", false)
		yearMonth(s.EMRYear, s.EMRMonth, FieldEMRYear, FieldEMRMonth, s.EMR == Planned, msgPlannedYM)
	}

	validateItems(&errs, in.Items, f, catalog, existing)

	if d := in.Delivery; d.Change {
		if !form.IsPostalCode(d.Postal) {
			errs.Add(FieldDeliveryZip, msgZip)
		}
		if d.PrefectureCode < 1 || d.PrefectureCode > 47 {
			errs.Add(FieldDeliveryPref, msgPref)
		}
		text(&errs, d.Address, FieldDeliveryAddress, msgAddress, true)
		text(&errs, d.Building, FieldDeliveryBuilding, "", false)
		text(&errs, d.Name, FieldDeliveryName, msgName, true)
		text(&errs, d.Contact, FieldDeliveryContact, msgContact, true)
		if !form.IsPhone(d.Phone) {
			errs.Add(FieldDeliveryPhone, msgPhone)
		}
	}
	return errs
}

func validateItems(errs *form.Errors, items [Slots]Item, f account.Facility, catalog []Model, existing bool) {
	makers := map[string]bool{}
	total, used := 0, 0
	for i, it := range items {
		n := i + 1
		if !it.Used() {
			continue
		}
		used++
		if n > 1 && !items[0].Used() {
			errs.Add(FieldModel(n), msgSlotOrder)
			continue
		}
		if it.ModelID == 0 {
			errs.Add(FieldModel(n), msgModel)
		}
		if it.Quantity == 0 {
			errs.Add(FieldQuantity(n), msgQuantity)
		} else if it.Quantity < 1 || it.Quantity > 3 {
			errs.Add(FieldQuantity(n), msgQuantity)
		} else {
			total += it.Quantity
		}
		if it.ModelID == 0 {
			continue
		}
		i := slices.IndexFunc(catalog, func(m Model) bool { return m.ID == it.ModelID })
		if i < 0 {
			errs.Add(FieldModel(n), msgUnknownModel)
			continue
		}
		if makers[catalog[i].Maker] {
			errs.Add(FieldModel(n), msgSameMaker)
		}
		makers[catalog[i].Maker] = true
	}
	if used == 0 {
		if !existing {
			errs.Add(FieldModel(1), msgNone)
		}
		return
	}
	if limit := MaxReaders(f); total > limit {
		msg := msgLimitOne
		switch {
		case f.Kind == account.KindHospital && f.DentalHospitalWithMedical:
			msg = msgLimitDental
		case limit == 3:
			msg = msgLimitHospital
		}
		errs.Add(FieldQuantity(1), msg)
	}
}

func text(errs *form.Errors, v, field, requiredMsg string, required bool) {
	switch {
	case v == "" && required:
		errs.Add(field, requiredMsg)
	case utf8.RuneCountInString(v) > maxText:
		errs.Add(field, fmt.Sprintf(msgTooLongFmt, maxText))
	}
}

// Messages of the operators' delivery date step.
const (
	MsgDeliveryDatePast = "配送予定日には今日以降の日付を入力してください。"
	// MsgDeliveryDateFar is completed with the last day allowed.
	MsgDeliveryDateFar = "配送予定日には1年以内の日付を入力してください（%sまで）。"
	MsgSameDate        = "現在の配送予定日と同じ日付です。訂正する場合は別の日付を入力してください。"
	MsgStale           = "他のオペレーターがこの申込を先に更新しました。最新の内容を確認してから、もう一度操作してください。"
)

// LatestDeliveryDate is the last 配送予定日 allowed when today is today: a year ahead.
func LatestDeliveryDate(today time.Time) time.Time { return jp.Midnight(today).AddDate(1, 0, 0) }

// CheckDeliveryDate refuses a 配送予定日 before today or more than a year after it, days
// counted in JST: ErrDeliveryDatePast or ErrDeliveryDateFar.
func CheckDeliveryDate(date, today time.Time) error {
	d, t := jp.Midnight(date), jp.Midnight(today)
	switch {
	case d.Before(t):
		return ErrDeliveryDatePast
	case d.After(LatestDeliveryDate(t)):
		return ErrDeliveryDateFar
	}
	return nil
}
