package cardreader

import (
	"fmt"
	"strconv"

	"portal/internal/account"
	"portal/internal/jp"
	"portal/internal/pref"
)

// Description is an application in words, as the confirm page, マイページ, the back office
// and the receipt mail show it: one source, so they never disagree.
type Description struct {
	Intro       string
	OnlineClaim string
	EMR         string
	Dispensing  string
	Pharmacy    bool
	// Readers are 「メーカー／製品　N台」, one per slot used.
	Readers []string
	Total   int
	// Delivery is where the readers go: the delivery change, or the facility's address.
	Delivery string
	Changed  bool
	// Cancels is true when every 台数 is 「---」 (cancels the application).
	Cancels bool
}

func answer(a string, y, m int) string {
	if a == "" {
		return "（未回答）"
	}
	if a == Planned && y != 0 {
		return a + "　導入予定：" + jp.YearMonth(y, m)
	}
	return a
}

// Describe puts in, made by facility f, into words; catalog names the readers.
func Describe(in Input, f account.Facility, catalog []Model) Description {
	d := Description{
		Intro:       jp.YearMonth(in.IntroYear, in.IntroMonth),
		OnlineClaim: answer(in.OnlineClaim, in.OnlineClaimYear, in.OnlineClaimMonth),
		EMR:         answer(in.EMR, in.EMRYear, in.EMRMonth),
		Dispensing:  answer(in.Dispensing, in.DispensingYear, in.DispensingMonth),
		Pharmacy:    IsPharmacy(f),
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
		d.Readers = append(d.Readers, fmt.Sprintf("%s　%d台", label, it.Quantity))
		d.Total += it.Quantity
	}
	if dl := in.Delivery; dl.Change {
		d.Changed = true
		d.Delivery = fmt.Sprintf("〒%s %s%s %s／%s／電話 %s／担当 %s", formatPostal(dl.Postal), pref.Name(dl.PrefectureCode),
			dl.Address, dl.Building, dl.Name, dl.Phone, dl.Contact)
	} else {
		d.Delivery = fmt.Sprintf("〒%s %s（支払基金に届出された医療機関所在地）", f.PostalCode, f.Address)
	}
	return d
}

// MailLines are the lines of the receipt mail that say what was received.
func (d Description) MailLines() []string {
	lines := []string{"■申込みカードリーダー"}
	lines = append(lines, d.Readers...)
	lines = append(lines, fmt.Sprintf("合計 %d台", d.Total), "", "■送付先")
	if d.Changed {
		lines = append(lines, "変更する："+d.Delivery)
	} else {
		lines = append(lines, d.Delivery)
	}
	return lines
}
