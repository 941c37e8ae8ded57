// Package content holds what the public pages show: お知らせ (news), the
// 顔認証付きカードリーダーカタログ (card reader catalog) and よくあるお問い合わせ (FAQ).
// It knows nothing of HTTP; the web package renders what it returns.
package content

import "errors"

// ErrNotFound is returned when a requested record does not exist.
var ErrNotFound = errors.New("content: not found")
