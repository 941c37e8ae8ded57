package batch

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"portal/internal/batch"
	"portal/internal/jp"
	"portal/internal/web/site"
)

// problemsShown is how many problems of a refused file the run page lists; the CSV has all.
const problemsShown = 200

// showPage is one run: its progress while it runs, its outcome once it has ended.
type showPage struct {
	site.AdminBase
	Run batch.Run
	// Mine is set when the signed-in supervisor ran the batch (only they download the letters).
	Mine            bool
	ReplacementNote string
}

// show is a run's page.
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	run, err := h.batches.Problems(r.Context(), runID(r), problemsShown)
	if errors.Is(err, batch.ErrNotFound) {
		h.NotFound(w, r)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	page := &showPage{Run: run, Mine: run.StartedBy == site.CurrentOperator(r).ID}
	if run.Encoding == string(jp.CP932) {
		page.ReplacementNote = jp.ReplacementNote
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/batch/show", page)
}

// statusJSON is what the run page's script polls.
type statusJSON struct {
	State      string `json:"state"`
	StateLabel string `json:"state_label"`
	Stage      string `json:"stage"`
	Done       int    `json:"done"`
	Total      int    `json:"total"`
	Percent    int    `json:"percent"`
	Finished   bool   `json:"finished"`
	Message    string `json:"message"`
}

// status answers the run's progress as JSON.
func (h *Handler) status(w http.ResponseWriter, r *http.Request) {
	run, err := h.batches.Get(r.Context(), runID(r))
	if errors.Is(err, batch.ErrNotFound) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":"not found"}`))
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	body, err := json.Marshal(statusJSON{State: run.State, StateLabel: run.StateLabel(), Stage: run.StageLabel(), Done: run.Done,
		Total: run.Total, Percent: run.Percent(), Finished: run.Finished(), Message: run.Message()})
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

// problemsCSV downloads every problem of a refused master file.
func (h *Handler) problemsCSV(w http.ResponseWriter, r *http.Request) {
	enc, err := jp.ParseEncoding(r.URL.Query().Get("encoding"))
	if err != nil {
		h.Error(w, r, http.StatusBadRequest)
		return
	}
	id := runID(r)
	if _, err := h.batches.Get(r.Context(), id); errors.Is(err, batch.ErrNotFound) {
		h.NotFound(w, r)
		return
	} else if err != nil {
		h.ServerError(w, r, err)
		return
	}
	file := site.NewCSVFile(w, "problems.csv", fmt.Sprintf("施設マスタ取込_問題_%d.csv", id), enc)
	if err := h.batches.ProblemsCSV(r.Context(), id, file, enc); err != nil {
		h.ExportFailed(w, r, file, err)
	}
}

// noticePage tells why a download cannot be had.
type noticePage struct {
	site.AdminBase
	Title   string
	Message string
	RunID   int64
}

// download hands the letters' CSV over, once, to the supervisor who ran the batch.
func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	id := runID(r)
	err := h.batches.DownloadLetters(r.Context(), *site.CurrentOperator(r), id, func(run batch.Run, csv []byte) error {
		file := site.NewCSVFile(w, "letters.csv", fmt.Sprintf("アカウント登録案内文書_%s_%d.csv", jp.Now().Format("20060102"), run.ID),
			jp.Encoding(run.Encoding))
		if _, err := file.Write(csv); err != nil {
			return err
		}
		// The file is dropped when this returns nil: make sure it left.
		return http.NewResponseController(w).Flush()
	})
	notice := func(status int, title, msg string) {
		h.RenderAdmin(w, r, status, "admin/batch/notice", &noticePage{Title: title, Message: msg, RunID: id})
	}
	switch {
	case err == nil:
	case errors.Is(err, batch.ErrNotFound):
		h.NotFound(w, r)
	case errors.Is(err, batch.ErrNotYours):
		notice(http.StatusForbidden, "ダウンロードできません", "このファイルは、一括作成を実行したスーパーバイザーだけがダウンロードできます。")
	case errors.Is(err, batch.ErrDownloaded):
		notice(http.StatusGone, "ダウンロード済みです", "このファイルは既にダウンロードされ、削除しました。仮パスワードを含むため、もう一度ダウンロードすることはできません。")
	case errors.Is(err, batch.ErrNotReady):
		notice(http.StatusConflict, "まだダウンロードできません", "一括作成が終わっていないか、失敗しました。")
	default:
		h.ServerError(w, r, err)
	}
}
