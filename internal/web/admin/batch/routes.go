// Package batch is マスタ取込・文書一括作成 in the back office, for supervisors: the facility
// master upload, the provisional letter batch, and each run's page with a progress bar that
// follows the run without reloading by hand (a small script polls the run's JSON status;
// without it the page refreshes itself), the problems of a refused file, and the one
// download of the letters' CSV by the supervisor who ran the batch.
package batch

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/batch"
	"portal/internal/web/site"
)

// Paths of the area.
const (
	IndexPath = "/admin/batches"
	// UploadPath receives the master file; the router lets its multipart body be larger
	// than any other (UploadLimit).
	UploadPath = IndexPath + "/master"
)

// UploadLimit is the largest request body UploadPath accepts: the file and the form around it.
const UploadLimit = batch.MaxUpload + 1<<20

// Handler serves the batch pages.
type Handler struct {
	*site.Site
	batches *batch.Service
}

// New returns the batch pages.
func New(s *site.Site, b *batch.Service) *Handler { return &Handler{Site: s, batches: b} }

// Mount registers the routes, each for supervisors only.
func (h *Handler) Mount(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(h.RequireSupervisor)
		r.Get(IndexPath, h.index)
		r.Post(UploadPath, h.upload)
		r.Get(IndexPath+"/letters", h.lettersConfirm)
		r.Post(IndexPath+"/letters", h.lettersStart)
		r.Get(IndexPath+"/{id}", h.show)
		r.Get(IndexPath+"/{id}/status", h.status)
		r.Get(IndexPath+"/{id}/problems.csv", h.problemsCSV)
		r.Post(IndexPath+"/{id}/download", h.download)
	})
}

// runID reads {id} of the route; 0 when it is not a positive number.
func runID(r *http.Request) int64 {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}
