// Package outage tells an error caused by PostgreSQL being away (stopped, restarting,
// refusing connections, or the connection lost under a query) from any other error, so the
// web layer answers 503 with Retry-After instead of 500 and the log says what happened.
// The pgx pool reconnects by itself once the database is back; nothing needs restarting.
package outage

import (
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// Is reports whether err comes from the database being unreachable or going away, as
// opposed to a bug or bad data.
func Is(err error) bool {
	if err == nil {
		return false
	}
	var connectErr *pgconn.ConnectError
	var pgErr *pgconn.PgError
	var netErr net.Error
	switch {
	case errors.As(err, &connectErr):
		return true
	case errors.As(err, &pgErr):
		return unavailableCode(pgErr.Code)
	case errors.Is(err, pgconn.ErrConnClosed), errors.Is(err, net.ErrClosed),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE):
		return true
	case errors.As(err, &netErr):
		return true
	}
	return false
}

// unavailableCode reports whether a PostgreSQL error code says the server is going away or
// cannot take the connection now: class 08 (connection exception), 57P01 admin_shutdown,
// 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or recovering) and 53300
// too_many_connections.
func unavailableCode(code string) bool {
	if len(code) == 5 && code[:2] == "08" {
		return true
	}
	switch code {
	case "57P01", "57P02", "57P03", "53300":
		return true
	}
	return false
}
