package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"portal/internal/cardreader"
	"portal/internal/form"
	"portal/internal/operator"
)

// adminCardReaderExport streams the CSV for one maker (UTF-8 with BOM or CP932, chosen at
// export) straight from the database to the response; the export is audited.
func (s *Server) adminCardReaderExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	makers, err := cardreader.Makers(ctx, s.db)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	in := form.NewInput(r.URL.Query())
	maker, status, enc := in.Text("maker"), in.Text("status"), in.Text("encoding")
	if !slices.Contains(makers, maker) || (status != "" && !slices.Contains(cardreader.Statuses, status)) ||
		(enc != cardreader.EncodingUTF8 && enc != cardreader.EncodingCP932) {
		s.errorStatus(w, r, http.StatusBadRequest)
		return
	}
	op := currentOperator(r)
	if err := operator.Record(ctx, s.db, op.ID, "cardreader.export", "cardreader_maker", 0,
		map[string]string{"maker": maker, "status": status, "encoding": enc}); err != nil {
		s.serverError(w, r, err)
		return
	}
	name := fmt.Sprintf("cardreader_%s_%s.csv", maker, time.Now().Format("20060102"))
	charset := "utf-8"
	if enc == cardreader.EncodingCP932 {
		charset = "shift_jis"
	}
	w.Header().Set("Content-Type", "text/csv; charset="+charset)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="cardreader.csv"; filename*=UTF-8''%s`, url.PathEscape(name)))
	if err := cardreader.Export(ctx, s.db, w, maker, status, enc); err != nil {
		// The status is already sent; log it, and the truncated file tells the operator.
		s.log.ErrorContext(ctx, "card reader export failed", requestAttrs(r), errAttr(err))
	}
}
