package cardreader

import (
	"fmt"
	"net/http"
	"slices"

	"portal/internal/cardreader"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/web/site"
)

// export streams the CSV for one maker (UTF-8 with BOM or CP932, chosen at
// export) straight from the database to the response; the export is audited.
func (h *Handler) export(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	makers, err := h.readers.Makers(ctx)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	in := form.NewInput(r.URL.Query())
	maker, status := in.Text("maker"), in.Text("status")
	enc, encErr := jp.ParseEncoding(in.Text("encoding"))
	if !slices.Contains(makers, maker) || (status != "" && !slices.Contains(cardreader.Statuses, status)) || encErr != nil {
		h.Error(w, r, http.StatusBadRequest)
		return
	}
	file := site.NewCSVFile(w, "cardreader.csv", fmt.Sprintf("cardreader_%s_%s.csv", maker, jp.Now().Format("20060102")), enc)
	if err := h.readers.Export(ctx, *site.CurrentOperator(r), file, maker, status, enc); err != nil {
		h.ExportFailed(w, r, file, err)
	}
}
