package web

import "github.com/go-chi/chi/v5"

// cardReaderRoutes registers 顔認証付きカードリーダー申込 for facilities and its processing
// in the back office.
func (s *Server) cardReaderRoutes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(s.requireAccount)
		r.Get("/cardreader", s.cardReaderShow)
		r.Post("/cardreader", s.cardReaderSubmit)
		r.Get("/cardreader/confirm", s.cardReaderConfirmShow)
		r.Post("/cardreader/confirm", s.cardReaderConfirmSubmit)
		r.Get("/cardreader/complete", s.cardReaderComplete)
		r.Get("/cardreader/cancel", s.cardReaderCancelShow)
		r.Post("/cardreader/cancel", s.cardReaderCancelSubmit)
	})
	s.adminPages(r, func(r chi.Router) {
		r.Get("/admin/cardreader", s.adminCardReaderIndex)
		r.Get("/admin/cardreader/export.csv", s.adminCardReaderExport)
		r.Get("/admin/cardreader/{id}", s.adminCardReaderShow)
		r.Post("/admin/cardreader/{id}/delivery-date", s.adminCardReaderDeliveryDate)
		r.Post("/admin/cardreader/{id}/ship", s.adminCardReaderShip)
	})
}
