package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// facility is one facility of the rush, as the database knows it.
type facility struct {
	id         int64
	email      string
	kind       string // 病院, 診療所, 薬局
	scoreTable int
	dentalMed  bool // 医科併設の歯科病院
	answerSeed uint64
	reference  string // 申込番号, once the completion page showed it
}

func (f facility) pharmacy() bool { return f.kind == "薬局" || f.scoreTable == 4 }

// maxReaders follows cardreader.MaxReaders: 病院 3, everyone else (and a 歯科 病院 attached to
// a 医科 one) 1.
func (f facility) maxReaders() int {
	if f.kind == "病院" && !f.dentalMed {
		return 3
	}
	return 1
}

// Steps of a visit, in order; the report lists them so.
var steps = []string{
	"top page", "login page", "sign-in", "マイページ", "card reader form", "confirm (POST form)",
	"confirm page", "確定 (POST confirm)", "completion page", "マイページ again",
}

// browser is one facility's browser: its cookies, no automatic redirects (each request is
// one step, and its status is checked exactly).
type browser struct {
	client *http.Client
	base   string
	rec    *recorder
	f      *facility
	rng    *rand.Rand
	think  time.Duration
	ctx    context.Context
	// header, addr: the client address the facility's requests carry (header "" for none).
	header, addr string
}

// visit walks one facility through deadline day; the first failed step ends its visit.
func visit(ctx context.Context, o options, transport http.RoundTripper, rec *recorder, f facility) {
	jar, _ := cookiejar.New(nil)
	b := &browser{
		client: &http.Client{Transport: transport, Jar: jar, Timeout: 60 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		base: strings.TrimSuffix(o.baseURL, "/"), rec: rec, f: &f, think: o.think, ctx: ctx,
		rng:    rand.New(rand.NewPCG(f.answerSeed, 7)),
		header: o.forwardedFor, addr: fmt.Sprintf("10.%d.%d.%d", f.id>>16&255, f.id>>8&255, f.id&255),
	}
	defer rec.finish()
	var csrf, nonce string
	var models []option
	flow := []func() error{
		func() error { _, err := b.get("top page", "/", "初めてご利用になる方"); return err },
		func() error {
			page, err := b.get("login page", "/login", "ログイン")
			csrf = field(page, "csrf_token")
			return err
		},
		func() error {
			return b.post("sign-in", "/login", url.Values{"csrf_token": {csrf}, "email": {f.email}, "password": {o.password}}, "/mypage")
		},
		func() error { _, err := b.get("マイページ", "/mypage", "マイページ"); return err },
		func() error {
			page, err := b.get("card reader form", "/cardreader", "顔認証付きカードリーダー申込")
			if err != nil {
				return err
			}
			csrf = field(page, "csrf_token")
			if models = readerOptions(page); len(models) == 0 {
				return errors.New("card reader form: no readers to choose from")
			}
			return nil
		},
		func() error {
			return b.post("confirm (POST form)", "/cardreader", b.answers(csrf, models), "/cardreader/confirm")
		},
		func() error {
			page, err := b.get("confirm page", "/cardreader/confirm", "上記の内容で確定する")
			csrf, nonce = field(page, "csrf_token"), field(page, "nonce")
			return err
		},
		func() error {
			return b.post("確定 (POST confirm)", "/cardreader/confirm", url.Values{"csrf_token": {csrf}, "nonce": {nonce}}, "/cardreader/complete")
		},
		func() error {
			page, err := b.get("completion page", "/cardreader/complete", "送信が完了しました。")
			if m := referencePattern.FindStringSubmatch(page); m != nil {
				f.reference = m[1]
			} else if err == nil {
				err = errors.New("completion page: no 申込番号")
			}
			return err
		},
		func() error { _, err := b.get("マイページ again", "/mypage", f.reference); return err },
	}
	for i, step := range flow {
		if i > 0 && !b.pause() {
			return
		}
		if err := step(); err != nil {
			rec.fail(steps[i], f.email, err)
			return
		}
	}
	rec.completed(f)
}

// pause waits a random 0.5–1.5 times the think time; false when the rush is stopped.
func (b *browser) pause() bool {
	if b.think <= 0 {
		return b.ctx.Err() == nil
	}
	d := time.Duration(float64(b.think) * (0.5 + b.rng.Float64()))
	select {
	case <-b.ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// do sends req as the facility's browser, from its own address.
func (b *browser) do(req *http.Request) (*http.Response, error) {
	if b.header != "" {
		req.Header.Set(b.header, b.addr)
	}
	return b.client.Do(req)
}

// get fetches path, which must answer 200 with a page containing want.
func (b *browser) get(step, path, want string) (string, error) {
	req, err := http.NewRequestWithContext(b.ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return "", err
	}
	start := time.Now()
	resp, err := b.do(req)
	if err != nil {
		return "", err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	b.rec.observe(step, time.Since(start))
	if err != nil {
		return "", fmt.Errorf("GET %s: reading: %w", path, err)
	}
	page := string(body)
	if resp.StatusCode != http.StatusOK {
		return page, fmt.Errorf("GET %s: status %d (location %q)", path, resp.StatusCode, resp.Header.Get("Location"))
	}
	if !strings.Contains(page, want) {
		return page, fmt.Errorf("GET %s: the page lacks %q", path, want)
	}
	return page, nil
}

// post submits form to path, which must answer 303 to location.
func (b *browser) post(step, path string, form url.Values, location string) error {
	req, err := http.NewRequestWithContext(b.ctx, http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	start := time.Now()
	resp, err := b.do(req)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	b.rec.observe(step, time.Since(start))
	if resp.StatusCode == http.StatusTooManyRequests {
		return fmt.Errorf("POST %s: 429, refused by a rate limit (is the portal running with TRUSTED_PROXY_HEADER=%s?)", path, b.header)
	}
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != location {
		return fmt.Errorf("POST %s: status %d to %q, want 303 to %s%s", path, resp.StatusCode, resp.Header.Get("Location"), location, fieldErrors(string(body)))
	}
	return nil
}

// option is a reader the form offers.
type option struct {
	id    string
	maker string
}

var (
	selectPattern    = regexp.MustCompile(`(?s)<select id="model1" name="model1"[^>]*>(.*?)</select>`)
	optionPattern    = regexp.MustCompile(`<option value="(\d+)"[^>]*>([^<]*)</option>`)
	referencePattern = regexp.MustCompile(`<strong class="reference">([^<]+)</strong>`)
	errorPattern     = regexp.MustCompile(`class="field-error"[^>]*>([^<]+)<`)
	hiddenPattern    = regexp.MustCompile(`name="(csrf_token|nonce)" value="([^"]*)"`)
)

// field returns the value of the hidden input name (csrf_token or nonce).
func field(page, name string) string {
	for _, m := range hiddenPattern.FindAllStringSubmatch(page, -1) {
		if m[1] == name {
			return html.UnescapeString(m[2])
		}
	}
	return ""
}

// readerOptions lists the readers of カードリーダー1's select, with their makers
// (「メーカー名／製品名」).
func readerOptions(page string) []option {
	m := selectPattern.FindStringSubmatch(page)
	if m == nil {
		return nil
	}
	var out []option
	for _, o := range optionPattern.FindAllStringSubmatch(m[1], -1) {
		maker, _, _ := strings.Cut(html.UnescapeString(o[2]), "／")
		out = append(out, option{id: o[1], maker: maker})
	}
	return out
}

// fieldErrors quotes the messages of a form answered with errors, for the error report.
func fieldErrors(page string) string {
	var msgs []string
	for _, m := range errorPattern.FindAllStringSubmatch(page, 4) {
		msgs = append(msgs, strings.TrimSpace(html.UnescapeString(m[1])))
	}
	if len(msgs) == 0 {
		return ""
	}
	return " (" + strings.Join(msgs, " / ") + ")"
}

// answers fills the form the way a facility of this kind may: the survey (電子カルテ, or
// 調剤システム for a pharmacy), readers within its limit from different makers, and now
// and then a delivery change.
func (b *browser) answers(csrf string, models []option) url.Values {
	r, f := b.rng, b.f
	next := time.Now().AddDate(0, 1+r.IntN(18), 0)
	v := url.Values{"csrf_token": {csrf},
		"intro_year": {strconv.Itoa(next.Year())}, "intro_month": {strconv.Itoa(int(next.Month()))}}
	choice := func(name string) {
		choices := []string{"導入している", "未導入（導入予定あり）", "導入予定なし"}
		c := choices[r.IntN(len(choices))]
		v.Set(name, c)
		if c == choices[1] {
			v.Set(name+"_year", strconv.Itoa(next.Year()))
			v.Set(name+"_month", strconv.Itoa(int(next.Month())))
		}
	}
	choice("online_claim")
	if f.pharmacy() {
		choice("dispensing")
	} else {
		choice("emr")
	}
	r.Shuffle(len(models), func(i, j int) { models[i], models[j] = models[j], models[i] })
	left, slot := 1+r.IntN(f.maxReaders()), 1
	makers := map[string]bool{}
	for _, m := range models {
		if left == 0 || slot > 3 {
			break
		}
		if makers[m.maker] {
			continue
		}
		makers[m.maker] = true
		q := 1
		if slot == 1 && left > 1 && r.IntN(2) == 0 {
			q = left // all readers from one maker
		}
		v.Set(fmt.Sprintf("model%d", slot), m.id)
		v.Set(fmt.Sprintf("qty%d", slot), strconv.Itoa(q))
		left -= q
		slot++
	}
	if r.IntN(20) == 0 {
		v.Set("delivery_change", "1")
		v.Set("delivery_zip1", "100")
		v.Set("delivery_zip2", "0013")
		v.Set("delivery_pref", "13")
		v.Set("delivery_address", "千代田区霞が関1-2-2")
		v.Set("delivery_building", "中央合同庁舎5号館")
		v.Set("delivery_name", "本部 事務局")
		v.Set("delivery_phone", "03-0000-0000")
		v.Set("delivery_contact", "担当 太郎")
	}
	return v
}
