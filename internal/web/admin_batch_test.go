package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/internal/operator"
	"portal/internal/webtest"
)

const btHeader = "都道府県コード,点数表コード,医療機関等コード,施設種別,医療機関等名称,開設者氏名,郵便番号,所在地,電話番号,大型チェーン薬局,医科併設歯科病院\n"

// btMaster is a master file of n clinics, with bad appended as its last rows.
func btMaster(n int, bad ...string) []byte {
	var b bytes.Buffer
	b.WriteString(btHeader)
	for i := range n {
		fmt.Fprintf(&b, "13,1,%07d,診療所,一括診療所%d,見本 太郎,100-0013,東京都千代田区霞が関1-%d,03-1234-%04d,0,0\n", i+1, i, i%99+1, i%10000)
	}
	for _, row := range bad {
		b.WriteString(row + "\n")
	}
	return b.Bytes()
}

// btUpload posts a file to the master upload as a browser's form would.
func btUpload(c *webtest.Client, name string, data []byte) *webtest.Response {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf_token", c.CSRF)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	return c.PostRaw("/admin/batches/master", mw.FormDataContentType(), body.String())
}

type btStatus struct {
	State    string `json:"state"`
	Stage    string `json:"stage"`
	Percent  int    `json:"percent"`
	Finished bool   `json:"finished"`
}

// btWait polls the run's JSON status as the page's script does, until the run ends.
func btWait(t *testing.T, c *webtest.Client, runPath string) btStatus {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		res := c.Get(runPath + "/status")
		var s btStatus
		if res.Status != 200 || json.Unmarshal([]byte(res.Body), &s) != nil {
			t.Fatalf("status: %d %s", res.Status, res.Body)
		}
		if s.Finished {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("run still %+v", s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func btSupervisor(t *testing.T, env *webtest.Env, login string) *webtest.Client {
	t.Helper()
	adminCreateOperator(t, env, login, "監督 "+login, "Supervisor1234", operator.RoleSupervisor)
	c := env.Client(t)
	if res := adminLogin(c, login, "Supervisor1234"); res.Status != 303 {
		t.Fatalf("sign-in: %d", res.Status)
	}
	c.Get("/admin/batches")
	return c
}

func TestAdminBatchMasterUpload(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	op := fcOperator(t, env, "op", "山田 担当")
	if res := op.Get("/admin/batches"); res.Status != 403 {
		t.Fatalf("operator on the batches: %d", res.Status)
	}
	if res := btUpload(op, "m.csv", btMaster(1)); res.Status != 403 {
		t.Fatalf("operator upload: %d", res.Status)
	}
	sv := btSupervisor(t, env, "sv")
	for name, data := range map[string][]byte{
		"master.xlsx": []byte("PK\x03\x04\x14\x00\x06\x00"),
		"master.csv":  []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
	} {
		res := btUpload(sv, name, data)
		if res.Status != 422 || !(strings.Contains(res.Body, "CSVファイルではありません") || strings.Contains(res.Body, "「.csv」で終わるファイル")) {
			t.Errorf("%s: %d", name, res.Status)
		}
	}
	if res := sv.PostForm("/admin/batches/master", nil); res.Status != 422 || !strings.Contains(res.Body, "取り込むファイルを選んでください。") {
		t.Errorf("no file: %d", res.Status)
	}

	res := btUpload(sv, "master.csv", btMaster(40))
	if res.Status != 303 || !strings.HasPrefix(res.Location, "/admin/batches/") {
		t.Fatalf("upload: %d %s", res.Status, res.Body)
	}
	run := res.Location
	if s := btWait(t, sv, run); s.State != "done" || s.Percent != 100 {
		t.Fatalf("status %+v", s)
	}
	if res := sv.Get(run); !strings.Contains(res.Body, "新規 40件") || strings.Contains(res.Body, `http-equiv="refresh"`) {
		t.Fatalf("run page: %s", res.Body)
	}

	// A file with bad rows: every one reported with its line, nothing imported.
	res = btUpload(sv, "bad.csv", btMaster(3, "13,1,ABC,診療所,壊れた行,見本,100-0013,東京都,03-0000-0000,0,0", "99,1,1234567,医院,,見本,1,東京都,1,0,0"))
	btWait(t, sv, res.Location)
	page := sv.Get(res.Location)
	for _, want := range []string{"取り込みませんでした", "5行目: 医療機関等コードは7桁の数字です", "6行目: 都道府県コードは01～47", "problems.csv"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("refused run page lacks %q", want)
		}
	}
	csv := sv.Get(res.Location + "/problems.csv?encoding=utf8")
	if csv.Status != 200 || !strings.Contains(csv.Body, "5,") || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("problems CSV: %d %s", csv.Status, csv.Body)
	}
	if res := sv.Get("/admin/batches/999999"); res.Status != 404 {
		t.Errorf("unknown run: %d", res.Status)
	}
}

// Two supervisors start the letter batch at the same moment: one starts it, the other is
// told it is running. The CSV is downloaded once, by the one who ran it.
func TestAdminBatchLetters(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	sv1, sv2 := btSupervisor(t, env, "sv1"), btSupervisor(t, env, "sv2")
	res := btUpload(sv1, "master.csv", btMaster(5))
	btWait(t, sv1, res.Location)
	if page := sv1.Get("/admin/batches/letters"); !strings.Contains(page.Body, "5件") {
		t.Fatalf("letters confirmation: %s", page.Body)
	}
	sv2.Get("/admin/batches/letters")
	var wg sync.WaitGroup
	results := make([]*webtest.Response, 2)
	for i, c := range []*webtest.Client{sv1, sv2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.PostForm("/admin/batches/letters", map[string][]string{"encoding": {"utf8"}})
		}()
	}
	wg.Wait()
	var run string
	var runner, other *webtest.Client
	for i, r := range results {
		switch r.Status {
		case 303:
			run, runner, other = r.Location, []*webtest.Client{sv1, sv2}[i], []*webtest.Client{sv2, sv1}[i]
		case 409:
			if !strings.Contains(r.Body, "実行中です") {
				t.Errorf("refusal: %s", r.Body)
			}
		default:
			t.Fatalf("start: %d %s", r.Status, r.Body)
		}
	}
	if run == "" || results[0].Status == results[1].Status {
		t.Fatalf("starts: %d and %d", results[0].Status, results[1].Status)
	}
	btWait(t, runner, run)
	if page := other.Get(run); !strings.Contains(page.Body, "だけがダウンロードできます") || strings.Contains(page.Body, "/download") {
		t.Error("the other supervisor is offered the download")
	}
	if res := other.PostForm(run+"/download", nil); res.Status != 403 {
		t.Fatalf("the other supervisor's download: %d", res.Status)
	}
	runner.Get(run)
	res = runner.PostForm(run+"/download", nil)
	if res.Status != 200 || strings.Count(res.Body, "\r\n") != 6 || !strings.Contains(res.Body, "仮パスワード") || !strings.HasPrefix(res.Body, "\uFEFF") {
		t.Fatalf("download: %d %q", res.Status, res.Body)
	}
	if res := runner.PostForm(run+"/download", nil); res.Status != 410 || !strings.Contains(res.Body, "既にダウンロードされ") {
		t.Fatalf("second download: %d", res.Status)
	}
}
