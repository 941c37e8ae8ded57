package ratelimit

import "time"

// The portal's limits, all in one place so they can be read (and documented in
// docs/operations.md) together. A new form that sends mail or costs a hash (the inquiry
// form, say) adds its per-client and per-address limits here and checks MailOverall too.
//
// Per-client limits are counted by client address (the trusted proxy header when one is
// configured, else the connection's address; IPv6 by /64). Per-address limits are counted
// by the lower-cased e-mail address asked for, whoever asks. Overall limits have no
// subject: they bound the whole portal, every instance together.
var (
	// RegisterPerClient bounds 仮登録 requests (/register) from one client.
	RegisterPerClient = Limit{Name: "register.client", Max: 10, Per: time.Hour}
	// RegisterPerAddress bounds registration mails to one address.
	RegisterPerAddress = Limit{Name: "register.address", Max: 5, Per: time.Hour}

	// PasswordResetPerClient bounds /password/forgot requests from one client.
	PasswordResetPerClient = Limit{Name: "password_reset.client", Max: 10, Per: time.Hour}
	// PasswordResetPerAddress bounds reset mails to one address.
	PasswordResetPerAddress = Limit{Name: "password_reset.address", Max: 5, Per: time.Hour}

	// EmailChangePerClient bounds メールアドレス変更 requests from one client.
	EmailChangePerClient = Limit{Name: "email_change.client", Max: 10, Per: time.Hour}
	// EmailChangePerAddress bounds change-confirmation mails to one new address.
	EmailChangePerAddress = Limit{Name: "email_change.address", Max: 5, Per: time.Hour}

	// InquiryPerClient bounds 問い合わせフォーム posts from one client: each may mail a
	// receipt and store an attachment.
	InquiryPerClient = Limit{Name: "inquiry.client", Max: 10, Per: time.Hour}
	// InquiryPerAddress bounds inquiries (and so receipt mails) to one reply address.
	InquiryPerAddress = Limit{Name: "inquiry.address", Max: 5, Per: time.Hour}
	// MailOverall bounds the mails that visitors' and users' requests make the portal send,
	// all forms and instances together, so a swarm of clients cannot turn the portal into a
	// mail cannon or spoil its sending reputation.
	MailOverall = Limit{Name: "mail.overall", Max: 600, Per: time.Minute}

	// SignInPerClient bounds sign-in attempts (facilities and operators) from one client;
	// each costs an argon2id hash. Generous, since a hospital's staff may share one address.
	SignInPerClient = Limit{Name: "signin.client", Max: 100, Per: 10 * time.Minute}
	// SignInOverall bounds sign-in attempts over the whole portal, above anything a deadline
	// day brings, so a flood is refused before it reaches the password hash.
	SignInOverall = Limit{Name: "signin.overall", Max: 6000, Per: time.Minute}
)
