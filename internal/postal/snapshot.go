package postal

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"portal/internal/pref"
)

const magic = "JPPOSTAL1\n"

// Snapshot is a complete, immutable set of postal data held in memory, arranged for
// lookups without allocation: codes sorted (a code with several towns appears once per
// town), the other columns parallel to it, and every distinct string in one blob.
type Snapshot struct {
	// Source says where the data came from, e.g. "jquery-jpostal-ja 2.14.73" or
	// "utf_ken_all.csv (import 3)".
	Source string

	codes  []uint32
	prefs  []uint8
	cities []uint32
	towns  []uint32
	blob   string
	offs   []uint32 // string i is blob[offs[i]:offs[i+1]]
}

// Len is the number of records (a code with several towns counts once per town).
func (s *Snapshot) Len() int { return len(s.codes) }

func (s *Snapshot) str(i uint32) string { return s.blob[s.offs[i]:s.offs[i+1]] }

// Lookup returns the candidates for a normalised 7-digit code (see Normalize), in the
// order Japan Post lists them; none when the code is unknown.
func (s *Snapshot) Lookup(code string) []Address {
	n, err := strconv.ParseUint(code, 10, 32)
	if err != nil || len(code) != 7 {
		return nil
	}
	c := uint32(n)
	i := sort.Search(len(s.codes), func(i int) bool { return s.codes[i] >= c })
	j := i
	for j < len(s.codes) && s.codes[j] == c {
		j++
	}
	if i == j {
		return nil
	}
	out := make([]Address, 0, j-i)
	for ; i < j; i++ {
		p := int(s.prefs[i])
		out = append(out, Address{PrefectureCode: p, Prefecture: pref.Name(p), City: s.str(s.cities[i]), Town: s.str(s.towns[i])})
	}
	return out
}

// Records returns every record in code order.
func (s *Snapshot) Records() []Record {
	out := make([]Record, len(s.codes))
	for i := range s.codes {
		out[i] = Record{Code: fmt.Sprintf("%07d", s.codes[i]), PrefectureCode: int(s.prefs[i]), City: s.str(s.cities[i]), Town: s.str(s.towns[i])}
	}
	return out
}

// NewSnapshot builds a snapshot from records, which it validates. Records are sorted by
// code, keeping the given order among records of one code; exact duplicates are dropped.
func NewSnapshot(source string, records []Record) (*Snapshot, error) {
	recs := slices.Clone(records)
	slices.SortStableFunc(recs, func(a, b Record) int { return strings.Compare(a.Code, b.Code) })
	s := &Snapshot{Source: source, offs: []uint32{0}}
	index := map[string]uint32{}
	var blob strings.Builder
	intern := func(v string) uint32 {
		if i, ok := index[v]; ok {
			return i
		}
		blob.WriteString(v)
		i := uint32(len(s.offs) - 1)
		s.offs = append(s.offs, uint32(blob.Len()))
		index[v] = i
		return i
	}
	type key struct {
		code       uint32
		pref       uint8
		city, town uint32
	}
	var prev []key // records of the current code, to drop duplicates
	for _, r := range recs {
		if err := r.validate(); err != nil {
			return nil, err
		}
		n, _ := strconv.ParseUint(r.Code, 10, 32)
		k := key{uint32(n), uint8(r.PrefectureCode), intern(r.City), intern(r.Town)}
		if len(prev) > 0 && prev[0].code != k.code {
			prev = prev[:0]
		}
		if slices.Contains(prev, k) {
			continue
		}
		prev = append(prev, k)
		s.codes = append(s.codes, k.code)
		s.prefs = append(s.prefs, k.pref)
		s.cities = append(s.cities, k.city)
		s.towns = append(s.towns, k.town)
	}
	s.blob = blob.String()
	return s, nil
}

func (r Record) validate() error {
	if _, err := Normalize(r.Code); err != nil || len(r.Code) != 7 {
		return fmt.Errorf("postal: record %q: code is not 7 ASCII digits", r.Code)
	}
	if pref.Name(r.PrefectureCode) == "" {
		return fmt.Errorf("postal: record %s: prefecture code %d", r.Code, r.PrefectureCode)
	}
	if r.City == "" {
		return fmt.Errorf("postal: record %s: no city", r.Code)
	}
	return nil
}

// Encode writes the snapshot in the compact file format (see the package comment).
func (s *Snapshot) Encode(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	var buf [binary.MaxVarintLen64]byte
	uv := func(v uint64) { _, _ = bw.Write(buf[:binary.PutUvarint(buf[:], v)]) }
	str := func(v string) { uv(uint64(len(v))); _, _ = bw.WriteString(v) }

	_, _ = bw.WriteString(magic)
	str(s.Source)
	uv(uint64(len(s.offs) - 1))
	for i := range len(s.offs) - 1 {
		str(s.str(uint32(i)))
	}
	uv(uint64(len(s.codes)))
	var prev uint32
	for i, c := range s.codes {
		uv(uint64(c - prev))
		prev = c
		uv(uint64(s.prefs[i]))
		uv(uint64(s.cities[i]))
		uv(uint64(s.towns[i]))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("postal: encode: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("postal: encode: %w", err)
	}
	return nil
}

// errFormat is returned for a file that is not a valid postal data file.
var errFormat = errors.New("postal: not a postal data file")

// Decode reads a file written by Encode.
func Decode(r io.Reader) (*Snapshot, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("postal: decode: %w", err)
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 64<<10)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, errFormat
	}
	var readErr error
	uv := func(limit uint64) uint64 {
		if readErr != nil {
			return 0
		}
		v, err := binary.ReadUvarint(br)
		if err == nil && v > limit {
			err = errFormat
		}
		readErr = err
		return v
	}
	str := func() string {
		n := uv(1 << 16)
		if readErr != nil {
			return ""
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(br, b); err != nil {
			readErr = err
		}
		return string(b)
	}
	s := &Snapshot{Source: str()}
	nstr := uv(1 << 22)
	if readErr != nil {
		return nil, fmt.Errorf("postal: decode: %w", readErr)
	}
	s.offs = make([]uint32, 1, nstr+1)
	var blob strings.Builder
	for range nstr {
		n := uv(1 << 16)
		if readErr != nil {
			break
		}
		if _, err := io.CopyN(&blob, br, int64(n)); err != nil {
			readErr = err
			break
		}
		s.offs = append(s.offs, uint32(blob.Len()))
	}
	s.blob = blob.String()
	nrec := uv(1 << 22)
	if readErr != nil {
		return nil, fmt.Errorf("postal: decode: %w", readErr)
	}
	if nrec > 0 && nstr == 0 {
		return nil, errFormat
	}
	s.codes = make([]uint32, 0, nrec)
	s.prefs = make([]uint8, 0, nrec)
	s.cities = make([]uint32, 0, nrec)
	s.towns = make([]uint32, 0, nrec)
	var code uint64
	for range nrec {
		code += uv(9_999_999)
		p := uv(47)
		city := uv(nstr - 1)
		town := uv(nstr - 1)
		if readErr != nil {
			return nil, fmt.Errorf("postal: decode: %w", readErr)
		}
		if code > 9_999_999 || p == 0 {
			return nil, errFormat
		}
		s.codes = append(s.codes, uint32(code))
		s.prefs = append(s.prefs, uint8(p))
		s.cities = append(s.cities, uint32(city))
		s.towns = append(s.towns, uint32(town))
	}
	return s, nil
}
