package mail

// Broadcast is the data of broadcast.txt (一斉送信): what the supervisor wrote.
type Broadcast struct {
	// FacilityName is FacilityNameMarker when rendered for SendBulk.
	FacilityName string
	Subject      string
	// Body is plain text.
	Body string
	// BaseURL is config.BaseURL (no trailing slash).
	BaseURL string
}

// DocumentWaiting is the data of document_waiting.txt (個別文書のお知らせ).
type DocumentWaiting struct {
	FacilityName string
	// Title is the document's title.
	Title   string
	BaseURL string
}

// InquiryReceived is the data of inquiry_received.txt (お問い合わせ受付のお知らせ). The
// question itself is not repeated: the form must not let anyone mail a text of their
// choosing to an address of their choosing.
type InquiryReceived struct {
	// Name is the sender's name as typed.
	Name string
	// Reference is the 問い合わせ番号.
	Reference string
	Category  string
	// Mypage is true when a signed-in facility sent it: it can follow the case there.
	Mypage  bool
	BaseURL string
}

// InquiryAnswered is the data of inquiry_answered.txt (お問い合わせへの回答).
type InquiryAnswered struct {
	Name      string
	Reference string
	// Answer is the operator's answer, plain text.
	Answer string
	// Mypage is true when the case belongs to a facility, which reads and replies there.
	Mypage  bool
	BaseURL string
}
