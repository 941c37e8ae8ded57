package batch

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"portal/internal/batch"
	"portal/internal/jp"
	"portal/internal/master"
	"portal/internal/web/site"
)

// indexPage is マスタ取込・文書一括作成: the upload, the letter batch, the recent runs.
type indexPage struct {
	site.AdminBase
	Runs []batch.Run
	// Header is the master file's header line.
	Header string
	// Problem says why an upload was refused; Running is the run that holds the kind.
	Problem string
	Running *batch.Run
}

func (h *Handler) renderIndex(w http.ResponseWriter, r *http.Request, status int, page *indexPage) {
	runs, err := h.batches.Recent(r.Context(), 20)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	page.Runs = runs
	page.Header = strings.Join(master.Columns, ",")
	h.RenderAdmin(w, r, status, "admin/batch/index", page)
}

// index shows the batches page.
func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	h.renderIndex(w, r, http.StatusOK, &indexPage{})
}

// msgRunning tells a supervisor that a batch of the kind is under way.
func msgRunning(run batch.Run) string {
	return fmt.Sprintf("%sは、%sさんが%sに開始したものを実行中です。終わってから、もう一度お試しください。",
		run.KindLabel(), run.StartedByName, jp.DateTime(run.CreatedAt))
}

// upload starts a master import with the uploaded file.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request) {
	name, data, problem := readUpload(r)
	if problem != "" {
		h.renderIndex(w, r, http.StatusUnprocessableEntity, &indexPage{Problem: problem})
		return
	}
	run, err := h.batches.StartMasterImport(r.Context(), *site.CurrentOperator(r), name, data)
	var ue *batch.UploadError
	var re *batch.RunningError
	switch {
	case errors.As(err, &ue):
		h.renderIndex(w, r, http.StatusUnprocessableEntity, &indexPage{Problem: ue.Message})
	case errors.As(err, &re):
		h.renderIndex(w, r, http.StatusConflict, &indexPage{Problem: msgRunning(re.Run), Running: &re.Run})
	case err != nil:
		h.ServerError(w, r, err)
	default:
		http.Redirect(w, r, fmt.Sprintf("%s/%d", IndexPath, run.ID), http.StatusSeeOther)
	}
}

// readUpload reads the file field of the upload form, bounded by batch.MaxUpload.
func readUpload(r *http.Request) (name string, data []byte, problem string) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return "", nil, batch.MsgNoFile
	}
	fh := r.MultipartForm.File["file"][0]
	if fh.Size > batch.MaxUpload {
		return "", nil, batch.MsgTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, batch.MsgNoFile
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, batch.MaxUpload+1))
	if err != nil {
		return "", nil, batch.MsgNoFile
	}
	if fh.Filename == "" {
		return "", nil, batch.MsgNoFile
	}
	return fh.Filename, data, ""
}

// lettersPage confirms the letter batch.
type lettersPage struct {
	site.AdminBase
	Candidates      int
	ReplacementNote string
	Problem         string
	Running         *batch.Run
}

// lettersConfirm is the letter batch's confirmation page: how many letters it would make.
func (h *Handler) lettersConfirm(w http.ResponseWriter, r *http.Request) {
	h.renderLetters(w, r, http.StatusOK, &lettersPage{})
}

func (h *Handler) renderLetters(w http.ResponseWriter, r *http.Request, status int, page *lettersPage) {
	n, err := h.batches.LetterCandidates(r.Context())
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	page.Candidates, page.ReplacementNote = n, jp.ReplacementNote
	h.RenderAdmin(w, r, status, "admin/batch/letters", page)
}

// lettersStart starts the letter batch.
func (h *Handler) lettersStart(w http.ResponseWriter, r *http.Request) {
	enc, err := jp.ParseEncoding(r.PostForm.Get("encoding"))
	if err != nil {
		h.renderLetters(w, r, http.StatusUnprocessableEntity, &lettersPage{Problem: "文字コードを選んでください。"})
		return
	}
	run, err := h.batches.StartLetters(r.Context(), *site.CurrentOperator(r), enc)
	var re *batch.RunningError
	switch {
	case errors.As(err, &re):
		h.renderLetters(w, r, http.StatusConflict, &lettersPage{Problem: msgRunning(re.Run), Running: &re.Run})
	case err != nil:
		h.ServerError(w, r, err)
	default:
		http.Redirect(w, r, fmt.Sprintf("%s/%d", IndexPath, run.ID), http.StatusSeeOther)
	}
}
