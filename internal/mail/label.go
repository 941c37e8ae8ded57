package mail

import "bytes"

// TemplateSubject is the subject template name renders when its subject needs no data
// (every subject so far), for the operators' filter by template; name itself otherwise.
func TemplateSubject(name string) string {
	m, ok := messages[name]
	if !ok {
		return name
	}
	var b bytes.Buffer
	if err := m.subject.Execute(&b, struct{}{}); err != nil || b.Len() == 0 {
		return name
	}
	return clean(b.String())
}

// StatusLabel is an outbox status (Status…) as メール送信状況 names it.
func StatusLabel(status string) string {
	switch status {
	case StatusQueued:
		return "送信待ち"
	case StatusSending:
		return "送信中"
	case StatusSent:
		return "送信済"
	case StatusFailed:
		return "送信失敗"
	}
	return status
}
