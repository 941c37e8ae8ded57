package volume

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"portal/internal/postal"
	"portal/internal/pref"
)

// facility is a generated master facility; facilities[i] has id i+1.
type facility struct {
	pref, table int
	kind        string
	code        string
	name        string
	founder     string
	postal      string // 123-4567
	address     string
	phone       string
	chain       bool // 大型チェーン薬局
	dentalMed   bool // 医科併設の歯科病院
	account     int  // index+1 of its account in accounts, 0 when it has none
}

// The mix of SPEC §8: ≈8,000 病院, 105,000 医科診療所, 68,000 歯科診療所 and 62,000 薬局
// (243,000 in all, scaled to the number asked for). Of the 病院, a few are the 歯科 of a
// 医科 hospital (a facility of their own, 医科併設の歯科病院) and a few are 歯科 hospitals.
const (
	mixHospitals     = 8_000
	mixClinics       = 105_000
	mixDentalClinics = 68_000
	mixTotal         = 243_000
	// Per hundred hospitals: the 歯科 of a 医科 hospital, and 歯科 hospitals of their own.
	twinPercent   = 3
	dentalPercent = 2
	// chainPercent of pharmacies belong to a 大型チェーン薬局 group.
	chainPercent = 30
)

// unit is one facility or a 医科 hospital followed by its 歯科 (a twin).
type unit int

const (
	unitHospital unit = iota
	unitHospitalWithDental
	unitDentalHospital
	unitClinic
	unitDentalClinic
	unitPharmacy
)

func fillFacilities(ctx context.Context, tx pgx.Tx, g *gen) error {
	places, err := newPlaces()
	if err != nil {
		return err
	}
	n := g.n.Facilities
	hospitals := n * mixHospitals / mixTotal
	twins, dental := hospitals*twinPercent/100, hospitals*dentalPercent/100
	clinics, dentalClinics := n*mixClinics/mixTotal, n*mixDentalClinics/mixTotal
	var units []unit
	add := func(u unit, k int) {
		for range k {
			units = append(units, u)
		}
	}
	add(unitHospital, hospitals-2*twins-dental)
	add(unitHospitalWithDental, twins)
	add(unitDentalHospital, dental)
	add(unitClinic, clinics)
	add(unitDentalClinic, dentalClinics)
	add(unitPharmacy, n-hospitals-clinics-dentalClinics)
	g.rng.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })

	serial := map[[2]int]int{} // next number per (都道府県, 点数表)
	g.facilities = make([]facility, 0, n)
	for _, u := range units {
		p := places.prefecture(g)
		f := facility{pref: p}
		switch u {
		case unitHospital, unitHospitalWithDental:
			f.table, f.kind = 1, "病院"
		case unitDentalHospital:
			f.table, f.kind = 3, "病院"
		case unitClinic:
			f.table, f.kind = 1, "診療所"
		case unitDentalClinic:
			f.table, f.kind = 3, "診療所"
		case unitPharmacy:
			f.table, f.kind = 4, "薬局"
			f.chain = g.chance(chainPercent / 100.0)
		}
		places.locate(g, &f)
		g.nameFacility(&f, u)
		f.code = facilityCode(serial, f.pref, f.table)
		g.facilities = append(g.facilities, f)
		if u == unitHospitalWithDental {
			d := f
			d.table, d.dentalMed = 3, true
			d.name = f.name + "（歯科）"
			d.phone = g.phone(f.pref)
			d.code = facilityCode(serial, d.pref, d.table)
			g.facilities = append(g.facilities, d)
		}
	}
	since := g.now.AddDate(-3, 0, 0)
	return g.copyRows(ctx, tx, "facilities",
		[]string{"prefecture_code", "score_table_code", "code", "kind", "name", "founder_name", "postal_code", "address",
			"phone", "large_chain_pharmacy", "dental_hospital_with_medical", "created_at", "updated_at"},
		len(g.facilities), func(i int) ([]any, error) {
			f := g.facilities[i]
			at := since.Add(time.Duration(i) * time.Second) // one master import, row by row
			return []any{f.pref, f.table, f.code, f.kind, f.name, f.founder, f.postal, f.address, f.phone,
				f.chain, f.dentalMed, at, at}, nil
		})
}

// facilityCode numbers the facilities of one (都道府県, 点数表) like the real 医療機関等コード:
// 郡市区番号 (2 digits), a number within it (4 digits) and a check digit.
func facilityCode(serial map[[2]int]int, prefecture, table int) string {
	k := [2]int{prefecture, table}
	c := serial[k]
	serial[k] = c + 1
	body := fmt.Sprintf("%02d%04d", c%40+1, c/40+1)
	return body + string(rune('0'+luhn(body)))
}

// luhn is the modulus-10 check digit of digits (weights 2 and 1 from the right).
func luhn(digits string) int {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

// places draws prefectures by population and real postal codes and towns within them
// from the postal data built into the portal.
type places struct {
	cumulative [47]int
	byPref     [48][]postal.Record
}

func newPlaces() (*places, error) {
	snap, err := postal.Embedded()
	if err != nil {
		return nil, fmt.Errorf("postal data: %w", err)
	}
	p := &places{}
	for _, r := range snap.Records() {
		// The codes of single high-rise buildings (one per floor) make odd addresses.
		if strings.Contains(r.Town, "階") {
			continue
		}
		r.Town = postal.CleanTown(r.Town)
		p.byPref[r.PrefectureCode] = append(p.byPref[r.PrefectureCode], r)
	}
	total := 0
	for i, n := range population {
		total += n
		p.cumulative[i] = total
		if len(p.byPref[i+1]) == 0 {
			return nil, fmt.Errorf("postal data: no codes for %s", pref.Name(i+1))
		}
	}
	return p, nil
}

func (p *places) prefecture(g *gen) int {
	r := g.rng.IntN(p.cumulative[46])
	for i, c := range p.cumulative {
		if r < c {
			return i + 1
		}
	}
	return 13
}

// locate gives f a real postal code of its prefecture with its town, a block number and a
// phone number.
func (p *places) locate(g *gen, f *facility) {
	r := pick(g, p.byPref[f.pref])
	f.postal = r.Code[:3] + "-" + r.Code[3:]
	f.address = fmt.Sprintf("%s%s%s%d-%d-%d", pref.Name(f.pref), r.City, r.Town, 1+g.rng.IntN(5), 1+g.rng.IntN(30), 1+g.rng.IntN(20))
	f.phone = g.phone(f.pref)
	f.name = placeName(r)
}

// placeName is what a facility is named after: the town when it is a short name, or else
// the city without 市区町村.
func placeName(r postal.Record) string {
	if n := utf8.RuneCountInString(r.Town); n >= 2 && n <= 5 && !strings.ContainsFunc(r.Town, func(c rune) bool {
		return unicode.IsDigit(c) || strings.ContainsRune("０１２３４５６７８９階丁目番地（）、", c)
	}) {
		return r.Town
	}
	city := r.City
	if i := strings.LastIndexAny(city, "市郡"); i > 0 && i+len("市") < len(city) {
		city = city[i+len("市"):] // 札幌市中央区 → 中央区, 〇〇郡〇〇町 → 〇〇町
	}
	if trimmed := strings.TrimRight(city, "市区町村"); utf8.RuneCountInString(trimmed) >= 2 {
		return trimmed
	}
	return city
}

// phone returns a number in the format of a fixed line whose local part starts with 0,
// which no real line has: 0AB-0CD-EFGH (03-0CDE-FGHI in 東京都, 06- in 大阪府).
func (g *gen) phone(prefecture int) string {
	switch prefecture {
	case 13:
		return fmt.Sprintf("03-0%03d-%04d", g.rng.IntN(1000), g.rng.IntN(10000))
	case 27:
		return fmt.Sprintf("06-0%03d-%04d", g.rng.IntN(1000), g.rng.IntN(10000))
	}
	return fmt.Sprintf("0%02d-0%02d-%04d", 10+prefecture, g.rng.IntN(100), g.rng.IntN(10000))
}

// nameFacility names f (f.name holds its place name) and its founder.
func (g *gen) nameFacility(f *facility, u unit) {
	place, surname, word := f.name, pick(g, surnames), pick(g, corporateWords)
	person := surname + " " + pick(g, givenNames)
	corporation := fmt.Sprintf("医療法人%s会 理事長 %s", word, person)
	name := func(patterns []string) string { return fmt.Sprintf(pick(g, patterns), surname, place, word) }
	switch u {
	case unitHospital, unitHospitalWithDental:
		f.name, f.founder = name(hospitalNames), corporation
	case unitDentalHospital:
		f.name, f.founder = name(dentalHospitalNames), fmt.Sprintf("学校法人%s学園 理事長 %s", word, person)
	case unitClinic:
		f.name, f.founder = name(clinicNames), person
		if g.chance(0.4) {
			f.founder = corporation
		}
	case unitDentalClinic:
		f.name, f.founder = name(dentalClinicNames), person
		if g.chance(0.3) {
			f.founder = corporation
		}
	case unitPharmacy:
		if f.chain {
			brand := pick(g, chainBrands)
			f.name = fmt.Sprintf("%s薬局 %s店", brand, place)
			f.founder = fmt.Sprintf("株式会社%sファーマシー 代表取締役 %s", brand, person)
		} else {
			f.name, f.founder = name(pharmacyNames), fmt.Sprintf("有限会社%s薬局 代表取締役 %s", surname, person)
		}
	}
}
